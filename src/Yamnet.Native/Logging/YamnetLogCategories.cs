namespace Yamnet.Logging;

/// <summary>
/// The logger categories this library writes to, so a host can filter them
/// (<c>"Logging:LogLevel:Yamnet.TfLite": "Warning"</c>). Every category starts with "Yamnet.".
/// </summary>
public static class YamnetLogCategories
{
    /// <summary>TFLite's own messages: its error reporter (Warning) and, when the host opted in to <see cref="TfLite.TfLiteRuntime.CaptureNativeStderr"/>, what it printed on stderr ("INFO: Created TensorFlow Lite XNNPACK delegate for CPU." at Information).</summary>
    public const string TfLite = "Yamnet.TfLite";

    /// <summary>Models: loaded (Information, with size, SHA-256 and known name).</summary>
    public const string Model = "Yamnet.Model";

    /// <summary>Interpreters: created (Debug), XNNPACK delegate applied (Debug) or refused (Warning).</summary>
    public const string Interpreter = "Yamnet.Interpreter";

    /// <summary>Audio input: file or stream opened with its format (Debug), resampler used (Debug).</summary>
    public const string Audio = "Yamnet.Audio";
}
