namespace Yamnet.Embeddings;

/// <summary>
/// Tensors a classifier can read beside its scores. Each one makes the classifier run a model
/// derived in memory whose graph also outputs that tensor (the file on disk is untouched);
/// <see cref="None"/> runs the model exactly as it is.
/// </summary>
[Flags]
public enum ExtraOutputs
{
    None = 0,

    /// <summary>The input of the final classification layer (YAMNet: 1024 values), dequantized to float.</summary>
    Embedding = 1,

    /// <summary>The log-mel spectrogram patch of the model's own frontend (YAMNet: 96 frames × 64 bands).</summary>
    LogMelSpectrogram = 2,

    All = Embedding | LogMelSpectrogram,
}
