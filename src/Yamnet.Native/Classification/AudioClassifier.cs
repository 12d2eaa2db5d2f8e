using Yamnet.Embeddings;
using Yamnet.TfLite;

namespace Yamnet.Classification;

/// <summary>
/// An audio-event classifier over one TFLite model whose single float32 input is a window of
/// mono samples and whose output is one score per class (YAMNet: 15600 samples → 521 scores).
/// Nothing is fixed to YAMNet: window length, class count and sample rate come from the model.
/// Thread-safe; each thread classifies through its own <see cref="ClassifierSession"/>, leased with
/// <see cref="RentSession"/> (pooled) or made with <see cref="CreateSession"/> (owned). Every member
/// throws <see cref="ObjectDisposedException"/> after <see cref="Dispose"/>.
/// </summary>
public sealed class AudioClassifier : IDisposable
{
    private readonly bool _ownsModel;
    private readonly TfLiteModel _model;
    private readonly TfLiteModel _inferenceModel;
    private readonly ExtraOutputLayout? _extras;
    private readonly AudioClassifierOptions _options;
    private readonly TensorInfo _input;
    private readonly TensorInfo _output;
    private readonly int _windowLength;
    private readonly int _classCount;
    private readonly int _sampleRate;
    private readonly string _sampleRateSource;
    private readonly ClassLabels _labels;
    private readonly SessionPool _pool;
    private volatile bool _disposed;

    public AudioClassifier(TfLiteModel model, AudioClassifierOptions? options = null, bool ownsModel = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        _options = options ?? new AudioClassifierOptions();
        _options.Validate();
        _model = model;
        _ownsModel = ownsModel;

        // Extra outputs come from a model derived in memory (scores stay output 0); otherwise the
        // sessions run the caller's model untouched.
        int embeddingOutput = -1, logMelOutput = -1;
        if (_options.ExtraOutputs != ExtraOutputs.None)
            (_inferenceModel, embeddingOutput, logMelOutput) = ExtraOutputModel.Derive(model, _options.ExtraOutputs);
        else
            _inferenceModel = model;
        var interpreterOptions = InterpreterOptions;
        TfLiteInterpreter? first = null;
        try
        {
            // The tensor layout is read from the first session's own interpreter, which then waits in
            // the pool for the first RentSession: a separate builtin-kernel interpreter only for the
            // layout cost a whole interpreter build (≈1 ms of the CLI's start-up) and was thrown away.
            first = TfLiteInterpreter.Create(_inferenceModel, interpreterOptions);
            var probe = first;
            if (probe.InputCount != 1) throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: expected 1 input tensor, found {probe.InputCount}");
            if (probe.OutputCount < 1) throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: the model has no output");
            _input = probe.GetInputInfo(0);
            _output = probe.GetOutputInfo(0);
            if (_options.ExtraOutputs != ExtraOutputs.None)
            {
                var embedding = embeddingOutput >= 0 ? probe.GetOutputInfo(embeddingOutput) : null;
                if (embedding is { Type: TensorType.Int8 or TensorType.UInt8, Quantization.Scale: <= 0 })
                    throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: this model has no embedding (its {embedding.Type} embedding tensor has no quantization scale)");
                if (embedding is { Type: not (TensorType.Int8 or TensorType.UInt8 or TensorType.Float32) })
                    throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: this model has no embedding this library can read (its tensor is {embedding.Type})");
                _extras = new ExtraOutputLayout(_options.ExtraOutputs, embedding, embeddingOutput,
                    logMelOutput >= 0 ? probe.GetOutputInfo(logMelOutput) : null, logMelOutput);
            }
            if (_input.Type != TensorType.Float32) throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: input is {_input.Type}, expected Float32 audio samples");
            if (_output.Type != TensorType.Float32) throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: output is {_output.Type}, expected Float32 scores");
            _windowLength = checked((int)_input.ElementCount);
            _classCount = checked((int)_output.ElementCount);
            if (_windowLength < 1 || _classCount < 1) throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: empty input or output tensor");

            var meta = model.Metadata;
            if (meta?.Channels is > 1) throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: the model expects {meta.Channels} channels; only mono models are supported");
            _sampleRate = meta?.SampleRate ?? _options.DefaultSampleRate;
            _sampleRateSource = meta?.SampleRate is not null ? "metadata" : "default";
            _labels = _options.ClassMapCsv is { } csv ? ClassLabels.FromClassMapCsv(csv, _classCount) : ClassLabels.FromModel(model, _classCount);
            _pool = new SessionPool(() => TfLiteInterpreter.Create(_inferenceModel, interpreterOptions), _options.EffectiveMaxIdleSessions);
            _pool.Return(first);
        }
        catch
        {
            first?.Dispose();
            if (!ReferenceEquals(_inferenceModel, model)) _inferenceModel.Dispose();
            throw;
        }
    }

    /// <summary>Loads the model file (validated, see <see cref="TfLiteModel.FromFile"/>) and owns it.</summary>
    /// <param name="cancellationToken">Honoured while the file is read and validated (see <see cref="TfLiteModel.FromFile"/>).</param>
    public static AudioClassifier Load(string modelPath, AudioClassifierOptions? options = null, CancellationToken cancellationToken = default)
    {
        var model = TfLiteModel.FromFile(modelPath, options?.ExpectedSha256, options?.LoggerFactory, cancellationToken);
        try
        {
            return new AudioClassifier(model, options, ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The model the classifier was given (its source, hash, metadata and labels).</summary>
    public TfLiteModel Model => Live(_model);

    /// <summary>The model the sessions run: <see cref="Model"/> itself, or the one derived from it with extra outputs.</summary>
    internal TfLiteModel InferenceModel => Live(_inferenceModel);

    /// <summary>The extra outputs the sessions expose (see <see cref="AudioClassifierOptions.ExtraOutputs"/>), or null for scores only.</summary>
    public ExtraOutputLayout? Extras => _disposed ? throw new ObjectDisposedException(nameof(AudioClassifier)) : _extras;

    public AudioClassifierOptions Options => Live(_options);

    public TensorInfo Input => Live(_input);

    public TensorInfo Output => Live(_output);

    /// <summary>Samples per window (the input tensor's element count).</summary>
    public int WindowLength => Live(_windowLength);

    public int ClassCount => Live(_classCount);

    /// <summary>The sample rate windows must be at: the model metadata's, else <see cref="AudioClassifierOptions.DefaultSampleRate"/>.</summary>
    public int SampleRate => Live(_sampleRate);

    /// <summary>"metadata" or "default".</summary>
    public string SampleRateSource => Live(_sampleRateSource);

    public ClassLabels Labels => Live(_labels);

    /// <summary>
    /// A new session with its own interpreter, owned by the caller: disposing it destroys the
    /// interpreter. For a session that comes back to be reused, see <see cref="RentSession"/>.
    /// </summary>
    public ClassifierSession CreateSession() => new(this, TfLiteInterpreter.Create(Live(_inferenceModel), InterpreterOptions), returnTo: null);

    /// <summary>
    /// Leases a session: an idle interpreter of this classifier, or a new one when none is idle.
    /// <c>using var session = classifier.RentSession();</c> — disposing the lease hands the
    /// interpreter back for the next caller (up to <see cref="AudioClassifierOptions.MaxIdleSessions"/>
    /// stay idle), and the lease object itself then throws <see cref="ObjectDisposedException"/>.
    /// Thread-safe; each lease is used by one thread at a time. A lease still out when the
    /// classifier is disposed keeps working; its interpreter is destroyed when it is returned.
    /// </summary>
    public ClassifierSession RentSession()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new ClassifierSession(this, _pool.Rent(this), _pool);
    }

    // The classifier's logger factory reaches every interpreter unless the interpreter options name their own.
    private TfLiteInterpreterOptions InterpreterOptions
        => _options.LoggerFactory is { } f && _options.Interpreter.LoggerFactory is null ? _options.Interpreter with { LoggerFactory = f } : _options.Interpreter;

    /// <summary>Idle interpreters waiting in the pool (tests and diagnostics).</summary>
    internal int IdleSessionCount => _pool.IdleCount;

    /// <summary>Disposes the idle sessions and, when this classifier owns it, the model. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _pool.Dispose();
        if (!ReferenceEquals(_inferenceModel, _model)) _inferenceModel.Dispose();
        if (_ownsModel) _model.Dispose();
    }

    private T Live<T>(T value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return value;
    }
}
