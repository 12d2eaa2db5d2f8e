using Yamnet.Embeddings;
using Yamnet.TfLite;

namespace Yamnet.Classification;

/// <summary>
/// One interpreter of an <see cref="AudioClassifier"/>, ready to run window after window with no
/// managed allocation: write samples into <see cref="Input"/> (the native input tensor), call
/// <see cref="Run"/>, read <see cref="Scores"/> (the native output tensor). Not thread-safe.
/// <para>
/// Either a lease (<see cref="AudioClassifier.RentSession"/>: <see cref="Dispose"/> hands the
/// interpreter back to the classifier's pool for the next caller) or owned
/// (<see cref="AudioClassifier.CreateSession"/>: <see cref="Dispose"/> destroys it). Either way,
/// every member throws <see cref="ObjectDisposedException"/> once this session is disposed, even
/// though the interpreter behind a lease lives on. The interpreter itself is not reachable: its
/// mutators (resize, reallocate, dispose) would break the session and the pool.
/// </para>
/// </summary>
public sealed class ClassifierSession : IDisposable
{
    private readonly AudioClassifier _classifier;
    private readonly SessionPool? _returnTo;
    private TfLiteInterpreter? _interpreter;

    internal ClassifierSession(AudioClassifier classifier, TfLiteInterpreter interpreter, SessionPool? returnTo)
    {
        _classifier = classifier;
        _interpreter = interpreter;
        _returnTo = returnTo;
        _extras = classifier.Extras is { } layout ? new SessionExtras(layout) : null;
    }

    private readonly SessionExtras? _extras;
    private int _runs;

    public AudioClassifier Classifier
    {
        get
        {
            ObjectDisposedException.ThrowIf(_interpreter is null, this);
            return _classifier;
        }
    }

    /// <summary>True when <see cref="Dispose"/> returns the interpreter to the classifier's pool.</summary>
    public bool IsLease => _returnTo is not null;

    public bool IsDisposed => _interpreter is null;

    /// <summary>The interpreter, for code inside the library (embeddings, pipeline internals).</summary>
    internal TfLiteInterpreter Interpreter => _interpreter ?? throw new ObjectDisposedException(nameof(ClassifierSession));

    /// <summary>The input tensor's memory: exactly <see cref="AudioClassifier.WindowLength"/> samples in [-1, 1]. Valid until the session is disposed.</summary>
    public Span<float> Input => Interpreter.GetInputSpan<float>(0);

    /// <summary>The scores of the last <see cref="Run"/>: <see cref="AudioClassifier.ClassCount"/> values. Valid until the next run or dispose.</summary>
    public ReadOnlySpan<float> Scores => Interpreter.GetOutputSpan<float>(0);

    /// <summary>
    /// The embedding of the last <see cref="Run"/>, dequantized to float (YAMNet: 1024 values) into a
    /// buffer this session owns: computed on first read after a run, no allocation, valid until the
    /// next run. Needs a classifier loaded with <see cref="ExtraOutputs.Embedding"/>.
    /// </summary>
    public ReadOnlySpan<float> Embedding
    {
        get
        {
            var interpreter = Interpreter; // throws once disposed, before anything else
            return (_extras ?? throw NoExtras()).Embedding(interpreter, _runs);
        }
    }

    /// <summary>
    /// The log-mel spectrogram patch of the last <see cref="Run"/>, frames × bands row-major (YAMNet:
    /// 96 × 64), read straight from the output tensor. Needs <see cref="ExtraOutputs.LogMelSpectrogram"/>.
    /// </summary>
    public ReadOnlySpan<float> LogMelSpectrogram
    {
        get
        {
            var interpreter = Interpreter;
            return (_extras ?? throw NoExtras()).LogMel(interpreter);
        }
    }

    /// <summary>Classifies what is in <see cref="Input"/>.</summary>
    public void Run()
    {
        Interpreter.Invoke();
        _runs++;
    }

    internal static InvalidOperationException NoExtras()
        => new("the classifier was loaded without extra outputs: set AudioClassifierOptions.ExtraOutputs");

    /// <summary>Copies <paramref name="window"/> in (it must be exactly one window long) and runs.</summary>
    public ReadOnlySpan<float> Classify(ReadOnlySpan<float> window)
    {
        var input = Input;
        if (window.Length != input.Length)
            throw new ArgumentException($"a window is {input.Length} samples, got {window.Length}", nameof(window));
        window.CopyTo(input);
        Run();
        return Scores;
    }

    /// <summary>Ends the lease (the interpreter goes back to the pool) or destroys an owned session. Idempotent.</summary>
    public void Dispose()
    {
        var interpreter = Interlocked.Exchange(ref _interpreter, null);
        if (interpreter is null) return;
        if (_returnTo is not null) _returnTo.Return(interpreter);
        else interpreter.Dispose();
    }
}
