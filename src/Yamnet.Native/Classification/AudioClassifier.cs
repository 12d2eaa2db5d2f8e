using Microsoft.Extensions.ObjectPool;
using Yamnet.TfLite;

namespace Yamnet.Classification;

/// <summary>
/// An audio-event classifier over one TFLite model whose single float32 input is a window of
/// mono samples and whose output is one score per class (YAMNet: 15600 samples → 521 scores).
/// Nothing is fixed to YAMNet: window length, class count and sample rate come from the model.
/// Thread-safe; each thread classifies through its own <see cref="ClassifierSession"/>.
/// </summary>
public sealed class AudioClassifier : IDisposable
{
    private readonly bool _ownsModel;
    private ObjectPool<ClassifierSession>? _pool;
    private readonly object _poolGate = new();

    public AudioClassifier(TfLiteModel model, AudioClassifierOptions? options = null, bool ownsModel = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = options ?? new AudioClassifierOptions();
        Model = model;
        _ownsModel = ownsModel;

        // A probe interpreter with the builtin kernels reads the tensor layout without paying for a delegate.
        using (var probe = TfLiteInterpreter.Create(model, new TfLiteInterpreterOptions { Delegate = DelegateKind.None }))
        {
            if (probe.InputCount != 1) throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: expected 1 input tensor, found {probe.InputCount}");
            if (probe.OutputCount < 1) throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: the model has no output");
            Input = probe.GetInputInfo(0);
            Output = probe.GetOutputInfo(0);
        }
        if (Input.Type != TensorType.Float32) throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: input is {Input.Type}, expected Float32 audio samples");
        if (Output.Type != TensorType.Float32) throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: output is {Output.Type}, expected Float32 scores");
        WindowLength = checked((int)Input.ElementCount);
        ClassCount = checked((int)Output.ElementCount);
        if (WindowLength < 1 || ClassCount < 1) throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: empty input or output tensor");

        var meta = model.Metadata;
        if (meta?.Channels is > 1) throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: the model expects {meta.Channels} channels; only mono models are supported");
        SampleRate = meta?.SampleRate ?? (Options.DefaultSampleRate > 0 ? Options.DefaultSampleRate
            : throw new ArgumentOutOfRangeException(nameof(options), "DefaultSampleRate must be positive"));
        SampleRateSource = meta?.SampleRate is not null ? "metadata" : "default";
        Labels = Options.ClassMapCsv is { } csv ? ClassLabels.FromClassMapCsv(csv, ClassCount) : ClassLabels.FromModel(model, ClassCount);
    }

    /// <summary>Loads the model file (validated, see <see cref="TfLiteModel.FromFile"/>) and owns it.</summary>
    public static AudioClassifier Load(string modelPath, AudioClassifierOptions? options = null)
    {
        var model = TfLiteModel.FromFile(modelPath, options?.ExpectedSha256);
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

    public TfLiteModel Model { get; }

    public AudioClassifierOptions Options { get; }

    public TensorInfo Input { get; }

    public TensorInfo Output { get; }

    /// <summary>Samples per window (the input tensor's element count).</summary>
    public int WindowLength { get; }

    public int ClassCount { get; }

    /// <summary>The sample rate windows must be at: the model metadata's, else <see cref="AudioClassifierOptions.DefaultSampleRate"/>.</summary>
    public int SampleRate { get; }

    /// <summary>"metadata" or "default".</summary>
    public string SampleRateSource { get; }

    public ClassLabels Labels { get; }

    /// <summary>A new session (interpreter) of this classifier. The caller disposes it.</summary>
    public ClassifierSession CreateSession() => new(this, TfLiteInterpreter.Create(Model, Options.Interpreter));

    /// <summary>
    /// A pool of sessions sharing this classifier's model (Microsoft.Extensions.ObjectPool); it
    /// retains up to <paramref name="maximumRetained"/> idle sessions. Created on first use.
    /// </summary>
    public ObjectPool<ClassifierSession> GetPool(int maximumRetained = 0)
    {
        lock (_poolGate)
        {
            // The provider makes a disposing pool for IDisposable items: a session that does not fit
            // back in is disposed at once instead of leaving its interpreter to a finalizer.
            int retained = Math.Max(maximumRetained, 2 * Environment.ProcessorCount + 1);
            return _pool ??= new DefaultObjectPoolProvider { MaximumRetained = retained }.Create(new SessionPolicy(this));
        }
    }

    public void Dispose()
    {
        lock (_poolGate)
        {
            (_pool as IDisposable)?.Dispose(); // DefaultObjectPool disposes retained IDisposable items
            _pool = null;
        }
        if (_ownsModel) Model.Dispose();
    }

    private sealed class SessionPolicy(AudioClassifier owner) : PooledObjectPolicy<ClassifierSession>
    {
        public override ClassifierSession Create() => owner.CreateSession();

        public override bool Return(ClassifierSession obj) => !obj.IsDisposed;
    }
}
