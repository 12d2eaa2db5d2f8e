using Microsoft.Extensions.Logging;

namespace Yamnet.Native.Tests.ProcessWide;

/// <summary>An ILoggerFactory that records every event (category, level, id, text); optionally runs a hook inside Log.</summary>
internal sealed class CollectingLoggerFactory(Action<string, LogLevel, string>? hook = null) : ILoggerFactory
{
    private readonly List<(string Category, LogLevel Level, int EventId, string Message)> _events = [];

    internal IReadOnlyList<(string Category, LogLevel Level, int EventId, string Message)> Events
    {
        get
        {
            lock (_events) return _events.ToList();
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Logger(CollectingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string message = formatter(state, exception);
            lock (owner._events) owner._events.Add((category, logLevel, eventId.Id, message));
            owner.Hook(category, logLevel, message);
        }
    }

    private void Hook(string category, LogLevel level, string message) => hook?.Invoke(category, level, message);
}
