using Microsoft.Extensions.Logging;

namespace Yamnet.Logging;

/// <summary>Every event the library logs, with a stable event id (1xxx model/TFLite, 2xxx audio, 3xxx native libraries).</summary>
internal static partial class LogEvents
{
    [LoggerMessage(1000, LogLevel.Information, "Loaded model {Source}: {Bytes} bytes, sha256 {Sha256}, {KnownAs}")]
    internal static partial void ModelLoaded(ILogger logger, string source, long bytes, string sha256, string knownAs);

    [LoggerMessage(1001, LogLevel.Debug, "Created an interpreter for {Source}: {Threads} thread(s), delegate {Delegate}")]
    internal static partial void InterpreterCreated(ILogger logger, string source, int threads, string @delegate);

    [LoggerMessage(1002, LogLevel.Debug, "XNNPACK delegate applied to {Source} (flags {Flags}, {Threads} thread(s))")]
    internal static partial void DelegateApplied(ILogger logger, string source, string flags, int threads);

    [LoggerMessage(1003, LogLevel.Warning, "XNNPACK delegate refused for {Source}: {Reason}")]
    internal static partial void DelegateRefused(ILogger logger, string source, string reason);

    [LoggerMessage(1004, LogLevel.Information, "XNNPACK self-check passed for {Source} (flags {Flags}, TFLite {Version}, {Cpu}): max |XNNPACK - builtin| = {Worst} over {Count} outputs")]
    internal static partial void XnnPackSelfCheckPassed(ILogger logger, string source, string flags, string version, string cpu, float worst, int count);

    [LoggerMessage(1005, LogLevel.Warning, "XNNPACK self-check FAILED for {Source} (flags {Flags}, TFLite {Version}, {Cpu}): max |XNNPACK - builtin| = {Worst} over {Count} outputs (tolerance {Tolerance}); using TFLite's builtin kernels for this model instead")]
    internal static partial void XnnPackSelfCheckFailed(ILogger logger, string source, string flags, string version, string cpu, float worst, int count, float tolerance);

    [LoggerMessage(1006, LogLevel.Debug, "XNNPACK self-check skipped for {Source}: input {Input} is not float32")]
    internal static partial void XnnPackSelfCheckSkipped(ILogger logger, string source, int input);

    [LoggerMessage(1007, LogLevel.Information, "XNNPACK runs {Source} with {Layers} float FULLY_CONNECTED layer(s) padded to a multiple of {Block} input channels ({Why}; the results do not change)")]
    internal static partial void XnnPackPaddingApplied(ILogger logger, string source, int layers, int block, string why);

    [LoggerMessage(1008, LogLevel.Warning, "XNNPACK cannot run {Source} safely ({Why}) and the model cannot be padded: {Reason}; using TFLite's builtin kernels for this model instead")]
    internal static partial void XnnPackPaddingRefused(ILogger logger, string source, string why, string reason);

    [LoggerMessage(1010, LogLevel.Warning, "{Message}")]
    internal static partial void TfLiteReported(ILogger logger, string message);

    [LoggerMessage(1011, LogLevel.Information, "{Message}")]
    internal static partial void TfLiteInfo(ILogger logger, string message);

    [LoggerMessage(1012, LogLevel.Warning, "{Message}")]
    internal static partial void TfLiteWarning(ILogger logger, string message);

    [LoggerMessage(1013, LogLevel.Error, "{Message}")]
    internal static partial void TfLiteError(ILogger logger, string message);

    [LoggerMessage(2000, LogLevel.Debug, "Opened {Name}: {Format}")]
    internal static partial void AudioOpened(ILogger logger, string name, string format);

    [LoggerMessage(2002, LogLevel.Warning, "{Name}: the MP3 decoder skipped damaged data and went on ({Count} problem(s), first: '{First}'); windows near the damage may be missing or shifted in time")]
    internal static partial void DecoderSkippedDamage(ILogger logger, string name, int count, string first);

    [LoggerMessage(2001, LogLevel.Debug, "Resampling {Name} from {InputRate} Hz to {OutputRate} Hz with libsoxr (high quality)")]
    internal static partial void ResamplerUsed(ILogger logger, string name, int inputRate, int outputRate);


    [LoggerMessage(3001, LogLevel.Error, "Could not restore file descriptor 2 after capturing TFLite's stderr: errno {Errno}")]
    internal static partial void StderrRestoreFailed(ILogger logger, int errno);

    /// <summary>A line TFLite printed on stderr ("INFO: …", "WARNING: …", "ERROR: …"), at the level its prefix names.</summary>
    internal static void TfLiteLine(ILogger logger, string line)
    {
        if (line.StartsWith("ERROR: ", StringComparison.Ordinal)) TfLiteError(logger, line[7..]);
        else if (line.StartsWith("WARNING: ", StringComparison.Ordinal)) TfLiteWarning(logger, line[9..]);
        else if (line.StartsWith("INFO: ", StringComparison.Ordinal)) TfLiteInfo(logger, line[6..]);
        else TfLiteInfo(logger, line);
    }
}
