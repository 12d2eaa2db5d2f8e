using Yamnet.Audio;
using Yamnet.Events;

namespace Yamnet.Native.Tests.Events;

public class StreamEventTrackerTests
{
    /// <summary>A manual clock: timers fire (on the calling thread) only when <see cref="Advance"/> passes their due time.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private readonly List<ManualTimer> _timers = [];
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var t = new ManualTimer(this, callback, state);
            t.Change(dueTime, period);
            _timers.Add(t);
            return t;
        }

        public void Advance(TimeSpan by)
        {
            long target = _ticks + by.Ticks;
            while (true)
            {
                var next = _timers.Where(t => t.Due is { } d && d <= target).OrderBy(t => t.Due).FirstOrDefault();
                if (next is null) break;
                _ticks = Math.Max(_ticks, next.Due!.Value);
                next.Due = null;
                next.Fire();
            }
            _ticks = target;
        }

        private sealed class ManualTimer(ManualTime time, TimerCallback callback, object? state) : ITimer
        {
            public long? Due;

            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : time._ticks + dueTime.Ticks;
                return true;
            }

            public void Fire() => callback(state);

            public void Dispose() => Due = null;

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }

    private static AudioWindow Window(int k) => new(k, k, k, k + 1);

    [Fact]
    public void A_stall_closes_the_open_event_by_the_timer_and_the_stream_resumes_later()
    {
        var time = new ManualTime();
        var sink = new SoundEventList();
        var detector = new EventDetector(new EventDetectorOptions(), ["a"], new EventTimeline(1, 1, 1), sink);
        int stalls = 0;
        using var tracker = new StreamEventTracker(detector, TimeSpan.FromSeconds(2), time) { Stalled = () => stalls++ };
        tracker.Push(Window(0), [0.9f]);
        time.Advance(TimeSpan.FromSeconds(1));
        tracker.Push(Window(1), [0.9f]);
        time.Advance(TimeSpan.FromSeconds(1.5));
        sink.Events.Should().BeEmpty("1.5 s since the last window is not a stall");
        tracker.OpenEvents.Should().Be(1);
        time.Advance(TimeSpan.FromSeconds(0.5));
        sink.Events.Should().ContainSingle().Which.Should().Match<SoundEvent>(e => e.StartSeconds == 0 && e.EndSeconds == 2);
        tracker.OpenEvents.Should().Be(0);
        stalls.Should().Be(1);
        tracker.Stalls.Should().Be(1);
        time.Advance(TimeSpan.FromSeconds(10));
        stalls.Should().Be(1, "nothing new to close");

        tracker.Push(Window(5), [0.9f]);
        tracker.Push(Window(6), [0.1f]);
        sink.Events.Should().HaveCount(2);
        sink.Events[1].StartSeconds.Should().Be(5);
        tracker.Flush();
        sink.Events.Should().HaveCount(2);
    }

    [Fact]
    public void With_an_infinite_timeout_only_a_flush_closes()
    {
        var sink = new SoundEventList();
        var detector = new EventDetector(new EventDetectorOptions(), ["a"], new EventTimeline(1, 1, 1), sink);
        using var tracker = new StreamEventTracker(detector, Timeout.InfiniteTimeSpan);
        tracker.Push(Window(0), [0.9f]);
        sink.Events.Should().BeEmpty();
        tracker.Flush(3);
        sink.Events.Should().ContainSingle().Which.EndSeconds.Should().Be(3);
    }
}
