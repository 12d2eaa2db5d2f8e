using Yamnet.Embeddings;
using Yamnet.TfLite;

namespace Yamnet.Classification;

/// <summary>How an <see cref="AudioClassifier"/> is set up.</summary>
public sealed record AudioClassifierOptions
{
    /// <summary>Threads, delegate and XNNPACK flags of every interpreter the classifier makes.</summary>
    public TfLiteInterpreterOptions Interpreter { get; init; } = TfLiteInterpreterOptions.Default;

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
}
