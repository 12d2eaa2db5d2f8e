using Yamnet.Interop;
using Yamnet.TfLite;

namespace Yamnet.Isolation;

/// <summary>How <see cref="ModelTrial.Check"/> runs its child process and where it keeps verdicts.</summary>
public sealed record ModelTrialOptions
{
    /// <summary>
    /// The project's C program <c>tflite-probe</c> (native/probe/tflite_probe.c; shipped beside the
    /// yamnet CLI), run as <c>tflite-probe --trial --model M --delegate D --threads T --xnnpack-flags F</c>
    /// on this process's TFLite library (LD_PRELOAD). Tried first: a C process starts in milliseconds,
    /// where re-executing a JIT .NET host costs 136–214 ms (`yamnet bench --isolation`). Null: not used.
    /// See <see cref="BundledProbePath"/>.
    /// </summary>
    public string? ProbePath { get; init; }

    /// <summary>
    /// The program that runs <see cref="ModelTrial.RunChild"/> and its leading arguments: the host
    /// re-executes itself with a marker argument (the yamnet CLI: <c>yamnet __model-trial</c>). The model
    /// path, the delegate, the XNNPACK flags and the thread count are appended as four more arguments
    /// (what <see cref="ModelTrial.TryParseChildArguments"/> reads back); YAMNET_TFLITE_LIB names this
    /// process's TFLite library. Used when <see cref="ProbePath"/> is null or that probe cannot be used
    /// (an old probe without <c>--trial</c>, or one that loads another library). Empty: not used.
    /// At least one of the two must be given.
    /// </summary>
    public IReadOnlyList<string> ChildCommand { get; init; } = [];

    /// <summary>The interpreter settings the model will be run with (a crash often depends on the delegate).</summary>
    public TfLiteInterpreterOptions Interpreter { get; init; } = TfLiteInterpreterOptions.Default;

    /// <summary>
    /// Where verdicts are cached (one small file per model, TFLite version and settings). Default:
    /// <c>$XDG_CACHE_HOME/yamnet/model-trials</c>, else <c>~/.cache/yamnet/model-trials</c>. Null disables the cache.
    /// </summary>
    public string? CacheDirectory { get; init; } = DefaultCacheDirectory();

    /// <summary>How long the child may take (load, build, two invocations) before it counts as hung.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The XDG cache directory for verdicts, or null when neither XDG_CACHE_HOME nor HOME is set.</summary>
    public static string? DefaultCacheDirectory() => Yamnet.TfLite.TfLiteRuntime.UserCacheDirectory("model-trials");

    /// <summary>
    /// <c>tflite-probe</c> beside the application (a release tarball), else in a checkout's
    /// <c>native/out/&lt;rid&gt;/</c> above it (development); null when there is none.
    /// </summary>
    public static string? BundledProbePath()
    {
        string here = Path.Combine(AppContext.BaseDirectory, "tflite-probe");
        if (File.Exists(here)) return here;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "native", "out", NativeLibraryResolver.RuntimeIdentifier, "tflite-probe");
            if (File.Exists(candidate)) return candidate;
            if (File.Exists(Path.Combine(d.FullName, "native", "build-tflite.sh"))) return null;
        }
        return null;
    }
}
