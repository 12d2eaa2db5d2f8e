namespace Yamnet.TfLite;

/// <summary>
/// Pinned SHA-256 digests of models this project has verified end to end. Pass one to
/// <see cref="TfLiteModel.FromFile"/> to refuse any other bytes (structural validation cannot prove
/// that every value in an arbitrary model is safe for TFLite's kernels; a digest can).
/// </summary>
public static class KnownModels
{
    /// <summary>yamnet.tflite as published for the TFLite Task Library (with metadata and labels).</summary>
    public const string YamnetSha256 = "10c95ea3eb9a7bb4cb8bddf6feb023250381008177ac162ce169694d05c317de";

    /// <summary>The public download of <see cref="YamnetSha256"/>.</summary>
    public const string YamnetUrl = "https://raw.githubusercontent.com/tensorflow/tflite-support/dd3362ea685bb7ab1f7268c81ec567d3b720ae57/tensorflow_lite_support/cc/test/testdata/task/audio/yamnet_audio_classifier_with_metadata.tflite";

    /// <summary>The 527-class AudioSet model without metadata used to prove nothing is hard-wired.</summary>
    public const string AudioSet527Sha256 = "05c5aea7ae00aeed0053a85f2b2e896b4ea272c5219052d32c06b655fbf5cc9b";

    /// <summary>The known name of a digest, or null.</summary>
    public static string? NameOf(string sha256) => sha256.ToLowerInvariant() switch
    {
        YamnetSha256 => "yamnet",
        AudioSet527Sha256 => "audioset527_5360",
        _ => null,
    };
}
