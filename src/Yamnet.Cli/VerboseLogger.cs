using Microsoft.Extensions.Logging;
using Yamnet.Logging;

namespace Yamnet.Cli;

/// <summary>
/// The library's log on stderr, one line per event. With --verbose everything from Debug up: TFLite's
/// own messages keep the shape they had on a terminal ("tflite: INFO: Created TensorFlow Lite XNNPACK
/// delegate for CPU."), the library's events read "yamnet: debug: …". Without it only the library's
/// warnings, which say that results come from another path than usual (XNNPACK refused, or its
/// self-check failed and the builtin kernels run): a user comparing scores must be told, not only a
/// user who asked for --verbose. Small on purpose: the CLI needs no logging framework.
/// </summary>
internal sealed class VerboseLogger(string category, bool verbose) : ILogger
{
    private static readonly object s_gate = new();

    /// <summary>--verbose: every event from Debug up, TFLite's lines included.</summary>
    public static ILoggerFactory Factory { get; } = new VerboseLoggerFactory(verbose: true);

    /// <summary>The default: the library's own warnings and errors only.</summary>
    public static ILoggerFactory Warnings { get; } = new VerboseLoggerFactory(verbose: false);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => verbose
        ? logLevel >= LogLevel.Debug
        // TFLite's own error lines are not repeated: the library turns them into the one-line error.
        : logLevel >= LogLevel.Warning && category != YamnetLogCategories.TfLite;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        string message = formatter(state, exception).TrimEnd('\r', '\n');
        string line = category == YamnetLogCategories.TfLite
            ? $"tflite: {TfLiteLevel(logLevel)}: {message}"
            : $"yamnet: {logLevel.ToString().ToLowerInvariant()}: {message}";
        lock (s_gate) StdErr.WriteLine(line);
    }

    private static string TfLiteLevel(LogLevel level) => level switch
    {
        >= LogLevel.Error => "ERROR",
        LogLevel.Warning => "WARNING",
        _ => "INFO",
    };

    private sealed class VerboseLoggerFactory(bool verbose) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new VerboseLogger(categoryName, verbose);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
