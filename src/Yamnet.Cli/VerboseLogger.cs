using Microsoft.Extensions.Logging;
using Yamnet.Logging;

namespace Yamnet.Cli;

/// <summary>
/// --verbose: the library's log on stderr, one line per event. TFLite's own messages keep the shape
/// they had on a terminal ("tflite: INFO: Created TensorFlow Lite XNNPACK delegate for CPU."), the
/// library's events read "yamnet: debug: …". Small on purpose: the CLI needs no logging framework.
/// </summary>
internal sealed class VerboseLogger(string category) : ILogger
{
    private static readonly object s_gate = new();

    public static ILoggerFactory Factory { get; } = new VerboseLoggerFactory();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

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

    private sealed class VerboseLoggerFactory : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new VerboseLogger(categoryName);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
