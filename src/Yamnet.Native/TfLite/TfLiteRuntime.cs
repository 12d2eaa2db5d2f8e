using System.Runtime.InteropServices;
using Yamnet.Interop;

namespace Yamnet.TfLite;

/// <summary>Process-wide facts and settings of the native TFLite runtime.</summary>
public static class TfLiteRuntime
{
    /// <summary>The TFLite version string of the loaded library (e.g. "2.9.0"). Loads the library on first use.</summary>
    public static unsafe string Version => Marshal.PtrToStringUTF8((nint)Interop.Interop.TfLite.TfLiteVersion()) ?? "";

    /// <summary>
    /// True when the loaded library has XNNPACK's weights cache (TFLite 2.19; the 2.9 prebuilt has
    /// not), so interpreters of one model share packed weights (<see cref="TfLiteInterpreterOptions.ShareXnnPackWeights"/>).
    /// Throws <see cref="NativeLibraryException"/> when the library's version is not a supported one (2.9.x, 2.19.x).
    /// </summary>
    public static bool HasXnnPackWeightsCache => TfLiteAbi.Current.HasXnnPackWeightsCache;

    /// <summary>
    /// Receives TFLite's own messages (error-reporter text and what it prints on stderr).
    /// Unset by default: those messages are then dropped instead of reaching a CLI user's terminal.
    /// </summary>
    public static event Action<string>? Log;

    /// <summary>When true (default), TFLite's direct writes to stderr during model, delegate and interpreter creation are captured and sent to <see cref="Log"/>.</summary>
    public static bool CaptureNativeStderr { get; set; } = true;

    /// <summary>The path the TFLite library is loaded from first, and the others tried after it.</summary>
    public static IReadOnlyList<string> LibrarySearchPaths => NativeLibraryResolver.TfLiteCandidates();

    internal static void RaiseLog(string message) => Log?.Invoke(message);
}
