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
    /// When XNNPACK is checked against TFLite's builtin kernels before a model's first XNNPACK
    /// interpreter is used (one window, once per model and flags; on failure the model falls back to
    /// the builtin kernels and the <see cref="Logging.YamnetLogCategories.Interpreter"/> logger gets a warning). Default: $YAMNET_XNNPACK_SELF_CHECK
    /// (auto|always|never), else <see cref="XnnPackSelfCheckMode.Auto"/>: arm64 CPUs with
    /// SVE/SVE2/SME/I8MM/BF16, where TFLite 2.19 gave wrong scores under emulation.
    /// </summary>
    public static XnnPackSelfCheckMode XnnPackSelfCheck { get; set; } =
        Enum.TryParse<XnnPackSelfCheckMode>(Environment.GetEnvironmentVariable("YAMNET_XNNPACK_SELF_CHECK"), ignoreCase: true, out var m) ? m : XnnPackSelfCheckMode.Auto;

    /// <summary>
    /// When XNNPACK interpreters run a copy of the model whose float FULLY_CONNECTED layers have their
    /// input channels padded with zeros to a multiple of 4 (derived in memory once per model; results
    /// are unchanged). Default: $YAMNET_XNNPACK_FLOAT_PADDING (auto|always|never), else
    /// <see cref="XnnPackFloatPaddingMode.Auto"/>: TFLite 2.9 on AMD Zen-family CPUs without AVX-512,
    /// where XNNPACK's float kernels write past their packed weights for other channel counts and
    /// the process aborts (YAMNet's mel filterbank has 257). A model that needs padding but cannot be
    /// padded runs on the builtin kernels there, with a warning in the
    /// <see cref="Logging.YamnetLogCategories.Interpreter"/> log.
    /// </summary>
    public static XnnPackFloatPaddingMode XnnPackFloatPadding { get; set; } =
        Enum.TryParse<XnnPackFloatPaddingMode>(Environment.GetEnvironmentVariable("YAMNET_XNNPACK_FLOAT_PADDING"), ignoreCase: true, out var p) ? p : XnnPackFloatPaddingMode.Auto;

    /// <summary>
    /// Off by default: the library changes nothing process-wide, and TFLite's few direct writes to
    /// stderr (its one-time "INFO: Created TensorFlow Lite XNNPACK delegate for CPU.") reach stderr as
    /// TFLite wrote them. A host that owns its process and wants them in its logger instead (the
    /// yamnet CLI does) sets this to true before creating models: then, only while a model, delegate or
    /// interpreter is being created, file descriptor 2 points at an in-memory file and TFLite's lines
    /// go to the <see cref="Logging.YamnetLogCategories.TfLite"/> logger. The same holds while an audio
    /// file is opened by libsndfile and while an MP3 is read: libmpg123's lines on a damaged MP3
    /// become part of that file's one-line error (a count and the first), never lines of their own. The price, which is why it is
    /// opt-in: in that moment another thread's writes to fd 2 are delayed (they are written back
    /// afterwards), and a child process started in that moment inherits the in-memory file as stderr.
    /// </summary>
    public static bool CaptureNativeStderr { get; set; }

    /// <summary>
    /// Where the SHA-256 of each model file is remembered by file identity (device, inode, size, mtime,
    /// ctime), so a model that has not changed is not hashed again by the next process (the known-model
    /// check needs the digest on every load; hashing 4 MB was the largest part of the CLI's start-up).
    /// Default null: digests stay in this process, because a library writes nothing into the host's home
    /// directory unless the host asks (the CLI does: <c>$XDG_CACHE_HOME/yamnet/model-digests</c>, else
    /// <c>~/.cache/yamnet/model-digests</c>).
    /// </summary>
    public static string? ModelDigestCacheDirectory { get; set; }

    /// <summary><c>$XDG_CACHE_HOME/yamnet/LEAF</c>, else <c>~/.cache/yamnet/LEAF</c>; null when neither is set.</summary>
    public static string? UserCacheDirectory(string leaf)
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "yamnet", leaf);
        string? home = Environment.GetEnvironmentVariable("HOME");
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache", "yamnet", leaf);
    }

    /// <summary>The paths libtensorflowlite_c.so is looked for at, in order (see <see cref="NativeRuntime.NativeLibraries"/>).</summary>
    public static IReadOnlyList<string> LibrarySearchPaths => NativeLibraryResolver.Candidates(NativeRuntime.NativeLibraryKind.TfLite).Select(c => c.Path).ToList();
}
