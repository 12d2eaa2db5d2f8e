using Yamnet.TfLite;

namespace Yamnet.Embeddings;

/// <summary>
/// Where a classifier's extra outputs are and what they hold: the embedding's length and
/// quantization, the log-mel patch's frames × bands. Read from the derived model once, at load.
/// </summary>
public sealed class ExtraOutputLayout
{
    internal ExtraOutputLayout(ExtraOutputs outputs, TensorInfo? embedding, int embeddingOutput, TensorInfo? logMel, int logMelOutput)
    {
        Outputs = outputs;
        EmbeddingTensor = embedding;
        EmbeddingOutput = embeddingOutput;
        LogMelTensor = logMel;
        LogMelOutput = logMelOutput;
        EmbeddingLength = embedding is null ? 0 : checked((int)embedding.ElementCount);
        if (logMel is not null)
        {
            // [frames, bands], or any shape whose last dimension is the bands.
            LogMelBands = logMel.Shape.Length > 0 ? logMel.Shape[^1] : 1;
            LogMelFrames = LogMelBands == 0 ? 0 : checked((int)(logMel.ElementCount / LogMelBands));
        }
    }

    /// <summary>What the classifier was asked to expose.</summary>
    public ExtraOutputs Outputs { get; }

    /// <summary>Values per embedding (YAMNet: 1024), 0 when not requested.</summary>
    public int EmbeddingLength { get; }

    /// <summary>The embedding tensor as the model stores it (YAMNet: Int8 with its scale and zero point), or null.</summary>
    public TensorInfo? EmbeddingTensor { get; }

    /// <summary>Frames of the log-mel patch (YAMNet: 96, one per 10 ms), 0 when not requested.</summary>
    public int LogMelFrames { get; }

    /// <summary>Mel bands of the log-mel patch (YAMNet: 64), 0 when not requested.</summary>
    public int LogMelBands { get; }

    /// <summary>The log-mel tensor (Float32), or null.</summary>
    public TensorInfo? LogMelTensor { get; }

    internal int EmbeddingOutput { get; }

    internal int LogMelOutput { get; }
}
