using Yamnet.Audio;
using Yamnet.Live;

namespace Yamnet.Native.Tests.Live;

/// <summary>A live source over an array that hands out chunks of pseudo-random sizes (as a pipe or a device would).</summary>
internal sealed class ChunkedLiveSource(float[] samples, int sampleRate, int seed = 1, int maxChunk = 7) : ILiveSource
{
    private readonly Random _random = new(seed);
    private int _position;

    public string Name => "test";
    public int SampleRate => sampleRate;
    public long Overruns => 0;
    public int Reads { get; private set; }

    public int Read(Span<float> destination, CancellationToken cancellationToken)
    {
        Reads++;
        int n = Math.Min(Math.Min(destination.Length, _random.Next(1, maxChunk + 1)), samples.Length - _position);
        if (n <= 0 || cancellationToken.IsCancellationRequested) return 0;
        samples.AsSpan(_position, n).CopyTo(destination);
        _position += n;
        return n;
    }

    public void Dispose()
    {
    }
}

public class LiveWindowPumpTests
{
    private static float[] Ramp(int n) => Enumerable.Range(1, n).Select(i => (float)i).ToArray();

    /// <summary>Reference windows from the file framer over the same samples.</summary>
    private static List<(AudioWindow Window, float[] Samples)> FramerWindows(float[] samples, int w, int hop, int rate)
    {
        var framer = new WindowFramer(new ArraySampleSource(samples, rate), w, hop);
        var list = new List<(AudioWindow, float[])>();
        var buffer = new float[w];
        while (framer.TryWriteNext(buffer, out var window)) list.Add((window, buffer.ToArray()));
        return list;
    }

    [Theory]
    [InlineData(1, 10, 4)]
    [InlineData(9, 10, 4)]
    [InlineData(10, 10, 4)]
    [InlineData(11, 10, 4)]
    [InlineData(14, 10, 4)]
    [InlineData(15, 10, 4)]
    [InlineData(101, 10, 4)]
    [InlineData(100, 10, 10)]
    [InlineData(57, 16, 1)]
    [InlineData(107698, 15600, 7800)]
    public void Block_policy_emits_exactly_the_file_framers_windows(int n, int w, int hop)
    {
        var samples = Ramp(n);
        var expected = FramerWindows(samples, w, hop, 16000);
        var actual = new List<(AudioWindow Window, float[] Samples)>();
        var pump = new LiveWindowPump(w, hop, new LivePumpOptions { QueueCapacity = 2, Overflow = OverflowPolicy.Block });

        var stats = pump.Run(new ChunkedLiveSource(samples, 16000, seed: n, maxChunk: Math.Max(3, w / 3)),
            (in AudioWindow window, ReadOnlySpan<float> s) => actual.Add((window, s.ToArray())));

        actual.Should().HaveCount(expected.Count);
        actual.Count.Should().Be((int)WindowFramer.WindowCount(n, w, hop));
        for (int i = 0; i < expected.Count; i++)
        {
            actual[i].Window.Should().Be(expected[i].Window, $"window {i}");
            actual[i].Samples.Should().Equal(expected[i].Samples, $"window {i}");
        }
        stats.WindowsProduced.Should().Be(expected.Count);
        stats.WindowsConsumed.Should().Be(expected.Count);
        stats.WindowsDropped.Should().Be(0);
        stats.Samples.Should().Be(n);
        stats.EndOfInput.Should().BeTrue();
    }

    [Fact]
    public void An_empty_input_gives_no_window()
    {
        int calls = 0;
        var stats = new LiveWindowPump(10, 5).Run(new ChunkedLiveSource([], 16000), (in AudioWindow _, ReadOnlySpan<float> _) => calls++);
        calls.Should().Be(0);
        stats.WindowsProduced.Should().Be(0);
        stats.EndOfInput.Should().BeTrue();
    }

    [Fact]
    public void MaxSamples_ends_the_input_there_and_flushes_the_last_window()
    {
        var samples = Ramp(200);
        var expected = FramerWindows(samples[..37], 10, 4, 16000);
        var actual = new List<(AudioWindow Window, float[] Samples)>();
        var stats = new LiveWindowPump(10, 4, new LivePumpOptions { Overflow = OverflowPolicy.Block, MaxSamples = 37 })
            .Run(new ChunkedLiveSource(samples, 16000), (in AudioWindow window, ReadOnlySpan<float> s) => actual.Add((window, s.ToArray())));
        stats.Samples.Should().Be(37);
        actual.Select(a => a.Window).Should().Equal(expected.Select(e => e.Window));
        actual.Last().Samples.Should().Equal(expected.Last().Samples);
    }

    /// <summary>
    /// The consumer blocks on a semaphore the test holds until the producer reports that capture is
    /// over, so every window beyond the queue's slots must have been dropped, whole.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task A_slow_consumer_makes_the_producer_drop_whole_windows_and_count_them(int capacity)
    {
        const int w = 16, hop = 8, n = 16 * 20 + 3;
        var samples = Ramp(n);
        var expected = FramerWindows(samples, w, hop, 1000);
        int produced = expected.Count;
        produced.Should().BeGreaterThan(capacity + 1);

        using var gate = new SemaphoreSlim(0);
        using var captureEnded = new ManualResetEventSlim();
        var bursts = new List<DropBurst>();
        var consumed = new List<(AudioWindow Window, float[] Samples)>();
        var pump = new LiveWindowPump(w, hop, new LivePumpOptions
        {
            QueueCapacity = capacity,
            Overflow = OverflowPolicy.Drop,
            OnDropBurst = b => bursts.Add(b),
            OnCaptureEnded = captureEnded.Set,
        });

        var run = Task.Run(() => pump.Run(new ChunkedLiveSource(samples, 1000, maxChunk: 5), (in AudioWindow window, ReadOnlySpan<float> s) =>
        {
            consumed.Add((window, s.ToArray()));
            gate.Wait();
        }));
        captureEnded.Wait(TimeSpan.FromMinutes(1)).Should().BeTrue("the producer must finish while the consumer is blocked");
        gate.Release(produced);
        var stats = await run.WaitAsync(TimeSpan.FromMinutes(1));

        // The consumer holds a slot while it works, so exactly `capacity` windows got through: 0 .. capacity-1.
        stats.WindowsProduced.Should().Be(produced);
        stats.WindowsConsumed.Should().Be(capacity);
        stats.WindowsDropped.Should().Be(stats.WindowsProduced - stats.WindowsConsumed);
        consumed.Should().HaveCount(capacity);
        for (int i = 0; i < consumed.Count; i++)
        {
            consumed[i].Window.Should().Be(expected[i].Window);
            consumed[i].Samples.Should().Equal(expected[i].Samples, "a window that gets through is complete and in place");
        }
        bursts.Should().ContainSingle().Which.Should().Be(new DropBurst(capacity, produced - capacity,
            expected[capacity].Window.StartSeconds, expected[^1].Window.EndSeconds));
        stats.DropBursts.Should().Be(1);
        stats.Samples.Should().Be(n);
    }

    [Fact]
    public void A_stop_consumes_what_is_queued_and_flushes_no_padded_window()
    {
        // The source delivers one full window, then waits for the stop like a quiet device.
        using var stop = new CancellationTokenSource();
        var source = new StallingLiveSource(Ramp(10 + 3), stallAfter: 13);
        var windows = new List<AudioWindow>();
        var stats = new LiveWindowPump(10, 5).Run(source, (in AudioWindow window, ReadOnlySpan<float> _) =>
        {
            windows.Add(window);
            stop.Cancel();
        }, stop.Token);
        windows.Should().ContainSingle().Which.Index.Should().Be(0);
        stats.EndOfInput.Should().BeFalse();
        stats.WindowsProduced.Should().Be(1);
        stats.Samples.Should().Be(13);
    }

    [Fact]
    public void A_source_failure_surfaces_after_the_queued_windows()
    {
        var source = new StallingLiveSource(Ramp(25), stallAfter: 25, failInsteadOfStalling: true);
        var windows = new List<int>();
        var act = () => new LiveWindowPump(10, 5, new LivePumpOptions { Overflow = OverflowPolicy.Block })
            .Run(source, (in AudioWindow window, ReadOnlySpan<float> _) => windows.Add(window.Index));
        act.Should().Throw<IOException>().WithMessage("device vanished");
        windows.Should().Equal(0, 1, 2, 3);
    }

    [Fact]
    public void A_consumer_failure_stops_the_capture_and_is_rethrown()
    {
        var act = () => new LiveWindowPump(10, 5, new LivePumpOptions { Overflow = OverflowPolicy.Block })
            .Run(new StallingLiveSource(Ramp(10), stallAfter: 10), (in AudioWindow _, ReadOnlySpan<float> _) => throw new InvalidOperationException("boom"));
        act.Should().Throw<InvalidOperationException>().WithMessage("boom");
    }

    private sealed class StallingLiveSource(float[] samples, int stallAfter, bool failInsteadOfStalling = false) : ILiveSource
    {
        private int _position;

        public string Name => "stalling";
        public int SampleRate => 1000;
        public long Overruns => 0;

        public int Read(Span<float> destination, CancellationToken cancellationToken)
        {
            if (_position >= stallAfter)
            {
                if (failInsteadOfStalling) throw new IOException("device vanished");
                cancellationToken.WaitHandle.WaitOne(); // a device with nothing to say until the stop
                return 0;
            }
            int n = Math.Min(destination.Length, stallAfter - _position);
            samples.AsSpan(_position, n).CopyTo(destination);
            _position += n;
            return n;
        }

        public void Dispose()
        {
        }
    }
}
