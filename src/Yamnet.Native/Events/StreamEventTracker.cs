using Yamnet.Audio;

namespace Yamnet.Events;

/// <summary>
/// An <see cref="EventDetector"/> for a live stream: thread-safe, and with a stall timer, so a stream
/// that stops delivering audio (a stalled pipe, an unplugged camera) cannot leave an event open
/// forever. When no window has been pushed for <see cref="StallTimeout"/>, the timer flushes the
/// detector (open events close at the end of the audio received, see
/// <see cref="EventDetector.Flush(double?)"/>); a stream that resumes simply carries on. The sink is
/// called under this object's lock, from the pushing thread or the timer's.
/// </summary>
public sealed class StreamEventTracker : IDisposable
{
    private readonly EventDetector _detector;
    private readonly TimeProvider _time;
    private readonly ITimer? _timer;
    private readonly object _lock = new();
    private long _lastPush;
    private bool _armed;
    private bool _disposed;

    /// <param name="detector">The detector to drive; use it only through this tracker from now on.</param>
    /// <param name="stallTimeout">Time without a window after which open events are closed; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="timeProvider">The clock (tests may pass a fake one); default the system's.</param>
    public StreamEventTracker(EventDetector detector, TimeSpan stallTimeout, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(detector);
        if (stallTimeout != Timeout.InfiniteTimeSpan && stallTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(stallTimeout), stallTimeout, "The stall timeout must be positive (or infinite).");
        _detector = detector;
        _time = timeProvider ?? TimeProvider.System;
        StallTimeout = stallTimeout;
        if (stallTimeout != Timeout.InfiniteTimeSpan)
            _timer = _time.CreateTimer(static state => ((StreamEventTracker)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeSpan StallTimeout { get; }

    /// <summary>Flushes done by the stall timer.</summary>
    public int Stalls { get; private set; }

    /// <summary>Called (under the lock, before the flush) when the stall timer is about to close the stream's events: the sink's next reports are due to the stall.</summary>
    public Action? Stalling { get; init; }

    /// <summary>Called (under the lock, after the flush) each time the stall timer closed the stream's events.</summary>
    public Action? Stalled { get; init; }

    /// <summary>Events open now.</summary>
    public int OpenEvents
    {
        get
        {
            lock (_lock) return _detector.OpenEvents;
        }
    }

    /// <summary>Pushes the next window (see <see cref="EventDetector.Push"/>) and restarts the stall timer.</summary>
    public void Push(in AudioWindow window, ReadOnlySpan<float> scores)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _detector.Push(window, scores);
            _lastPush = _time.GetTimestamp();
            if (_timer is not null && !_armed)
            {
                _armed = true;
                _timer.Change(StallTimeout, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Closes every event now (end of input, a stop signal): see <see cref="EventDetector.Flush(double?)"/>.</summary>
    public void Flush(double? endSeconds = null)
    {
        lock (_lock)
        {
            if (_disposed) return;
            _detector.Flush(endSeconds);
        }
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            if (_disposed || !_armed) return;
            // The timer is armed once and re-armed for what remains, instead of being reset by every
            // window: a window then costs a timestamp, not a timer operation.
            var idle = _time.GetElapsedTime(_lastPush);
            if (idle < StallTimeout)
            {
                _timer!.Change(StallTimeout - idle, Timeout.InfiniteTimeSpan);
                return;
            }
            _armed = false;
            if (_detector.WindowsSinceFlush == 0) return;
            Stalling?.Invoke();
            _detector.Flush();
            Stalls++;
            Stalled?.Invoke();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _timer?.Dispose();
    }
}
