using Microsoft.Extensions.Logging;
using Yamnet.Embeddings;
using Yamnet.TfLite;

namespace Yamnet.Classification;

/// <summary>How an <see cref="AudioClassifier"/> is set up.</summary>
public sealed record AudioClassifierOptions
{
    /// <summary>Threads, delegate and XNNPACK flags of every interpreter the classifier makes.</summary>
    public TfLiteInterpreterOptions Interpreter { get; init; } = TfLiteInterpreterOptions.Default;

    /// <summary>
    /// Where the library logs (model loaded, interpreters and the XNNPACK delegate, TFLite's own
    /// messages; categories in <see cref="Logging.YamnetLogCategories"/>). Null: nothing is logged.
    /// Used for the model and every interpreter, unless <see cref="TfLiteInterpreterOptions.LoggerFactory"/> sets its own.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>An AudioSet class map CSV (<c>index,mid,display_name</c>) to use instead of the embedded labels.</summary>
    public string? ClassMapCsv { get; init; }

    /// <summary>The input sample rate when the model's metadata does not state one.</summary>
    public int DefaultSampleRate { get; init; } = 16000;

    /// <summary>When set, the model file must have this SHA-256 (see <see cref="KnownModels"/>).</summary>
    public string? ExpectedSha256 { get; init; }

    /// <summary>
    /// Tensors the sessions expose beside the scores (<see cref="ClassifierSession.Embedding"/>,
    /// <see cref="ClassifierSession.LogMelSpectrogram"/>). None (the default) runs the model as it is.
    /// </summary>
    public ExtraOutputs ExtraOutputs { get; init; }

    /// <summary>
    /// Interpreters kept idle for <see cref="AudioClassifier.RentSession"/> (more are created on
    /// demand and destroyed on return). Default: 2 × processor count + 2, enough for a
    /// <see cref="WindowPipeline"/> or a batch on every core.
    /// </summary>
    public int? MaxIdleSessions { get; init; }

    internal int EffectiveMaxIdleSessions => MaxIdleSessions ?? 2 * Environment.ProcessorCount + 2;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Interpreter, nameof(Interpreter));
        if (DefaultSampleRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(DefaultSampleRate), DefaultSampleRate, "DefaultSampleRate must be a positive number of Hz.");
        if ((ExtraOutputs & ~ExtraOutputs.All) != 0)
            throw new ArgumentOutOfRangeException(nameof(ExtraOutputs), ExtraOutputs, "ExtraOutputs has unknown flags.");
        if (MaxIdleSessions is < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxIdleSessions), MaxIdleSessions, "MaxIdleSessions must not be negative.");
    }
}
