using Yamnet.TfLite;

namespace Yamnet.Isolation;

/// <summary>How <see cref="ModelTrial.Check"/> runs its child process and where it keeps verdicts.</summary>
public sealed record ModelTrialOptions
{
    /// <summary>
    /// The program that runs <see cref="ModelTrial.RunChild"/> and its leading arguments: the host
    /// re-executes itself with a marker argument (the yamnet CLI: <c>yamnet __model-trial</c>). The model
    /// path, the delegate, the XNNPACK flags and the thread count are appended as four more arguments
    /// (what <see cref="ModelTrial.TryParseChildArguments"/> reads back).
    /// </summary>
    public required IReadOnlyList<string> ChildCommand { get; init; }

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
}
