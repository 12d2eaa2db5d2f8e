using Microsoft.Extensions.ObjectPool;
using Yamnet.Embeddings;
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

        // Extra outputs come from a model derived in memory (scores stay output 0); otherwise the
        // sessions run the caller's model untouched.
        int embeddingOutput = -1, logMelOutput = -1;
        if (Options.ExtraOutputs != ExtraOutputs.None)
            (InferenceModel, embeddingOutput, logMelOutput) = ExtraOutputModel.Derive(model, Options.ExtraOutputs);
        else
            InferenceModel = model;
        try
        {
            // A probe interpreter with the builtin kernels reads the tensor layout without paying for a delegate.
            using var probe = TfLiteInterpreter.Create(InferenceModel, new TfLiteInterpreterOptions { Delegate = DelegateKind.None });
            if (probe.InputCount != 1) throw new InvalidModelException($"{model.Source}: expected 1 input tensor, found {probe.InputCount}");
            if (probe.OutputCount < 1) throw new InvalidModelException($"{model.Source}: the model has no output");
            Input = probe.GetInputInfo(0);
            Output = probe.GetOutputInfo(0);
            if (Options.ExtraOutputs != ExtraOutputs.None)
            {
                var embedding = embeddingOutput >= 0 ? probe.GetOutputInfo(embeddingOutput) : null;
                if (embedding is { Type: TensorType.Int8 or TensorType.UInt8, Quantization.Scale: <= 0 })
                    throw new InvalidModelException($"{model.Source}: this model has no embedding (its {embedding.Type} embedding tensor has no quantization scale)");
                if (embedding is { Type: not (TensorType.Int8 or TensorType.UInt8 or TensorType.Float32) })
                    throw new InvalidModelException($"{model.Source}: this model has no embedding this library can read (its tensor is {embedding.Type})");
                Extras = new ExtraOutputLayout(Options.ExtraOutputs, embedding, embeddingOutput,
                    logMelOutput >= 0 ? probe.GetOutputInfo(logMelOutput) : null, logMelOutput);
            }
        }
        catch
        {
            if (!ReferenceEquals(InferenceModel, model)) InferenceModel.Dispose();
            throw;
        }
        if (Input.Type != TensorType.Float32) throw new InvalidModelException($"{model.Source}: input is {Input.Type}, expected Float32 audio samples");
        if (Output.Type != TensorType.Float32) throw new InvalidModelException($"{model.Source}: output is {Output.Type}, expected Float32 scores");
        WindowLength = checked((int)Input.ElementCount);
        ClassCount = checked((int)Output.ElementCount);
        if (WindowLength < 1 || ClassCount < 1) throw new InvalidModelException($"{model.Source}: empty input or output tensor");

        var meta = model.Metadata;
        if (meta?.Channels is > 1) throw new InvalidModelException($"{model.Source}: the model expects {meta.Channels} channels; only mono models are supported");
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

    /// <summary>The model the classifier was given (its source, hash, metadata and labels).</summary>
    public TfLiteModel Model { get; }

    /// <summary>The model the sessions run: <see cref="Model"/> itself, or the one derived from it with extra outputs.</summary>
    internal TfLiteModel InferenceModel { get; }

    /// <summary>The extra outputs the sessions expose (see <see cref="AudioClassifierOptions.ExtraOutputs"/>), or null for scores only.</summary>
    public ExtraOutputLayout? Extras { get; }

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
    public ClassifierSession CreateSession() => new(this, TfLiteInterpreter.Create(InferenceModel, Options.Interpreter));

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
        if (!ReferenceEquals(InferenceModel, Model)) InferenceModel.Dispose();
        if (_ownsModel) Model.Dispose();
    }

    private sealed class SessionPolicy(AudioClassifier owner) : PooledObjectPolicy<ClassifierSession>
    {
        public override ClassifierSession Create() => owner.CreateSession();

        public override bool Return(ClassifierSession obj) => !obj.IsDisposed;
    }
}
