using Yamnet.Audio;

namespace Yamnet.Native.Tests.Audio;

public sealed class WindowFramerTests
{
    [Theory]
    [InlineData(0, 15600, 7800, 1)]
    [InlineData(1, 15600, 7800, 1)]
    [InlineData(15600, 15600, 7800, 1)]
    [InlineData(15601, 15600, 7800, 2)]
    [InlineData(23400, 15600, 7800, 2)]
    [InlineData(23401, 15600, 7800, 3)]
    [InlineData(107698, 15600, 7800, 13)]
    [InlineData(107698, 15600, 15600, 7)]
    [InlineData(100, 10, 3, 31)]
    [InlineData(100, 10, 10, 10)]
    [InlineData(101, 10, 10, 11)]
    [InlineData(57_600_000, 15600, 7800, 7384)]
    public void WindowCount_FollowsTheReadmeFormula(long n, int w, int h, long expected)
    {
        WindowFramer.WindowCount(n, w, h).Should().Be(expected);
        long formula = Math.Max(1, (long)Math.Ceiling((n - w) / (double)h) + 1);
        WindowFramer.WindowCount(n, w, h).Should().Be(formula);
    }

    public static TheoryData<int, int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int, int>();
        int[] ns = [1, 5, 9, 10, 11, 12, 13, 19, 20, 21, 22, 37, 100];
        foreach (int n in ns)
        {
            data.Add(n, 10, 10, 1000);
            data.Add(n, 10, 3, 1000);
            data.Add(n, 10, 1, 1000);
            data.Add(n, 10, 7, 1); // a source that dribbles one sample per Read
            data.Add(n, 10, 5, 4);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Windows_HaveTheRightCountStartsContentAndPadding(int n, int w, int h, int maxChunk)
    {
        float[] signal = Enumerable.Range(1, n).Select(i => (float)i).ToArray(); // no zeros in real audio
        var framer = new WindowFramer(new ChunkedSource(signal, 100, maxChunk), w, h);
        var dest = new float[w];
        var windows = new List<AudioWindow>();
        while (framer.TryWriteNext(dest, out var win))
        {
            int k = windows.Count;
            win.Index.Should().Be(k);
            win.StartSample.Should().Be((long)k * h);
            win.StartSeconds.Should().Be(k * h / 100.0);
            win.EndSeconds.Should().Be(Math.Min(k * h + w, n) / 100.0);
            for (int i = 0; i < w; i++)
            {
                long src = (long)k * h + i;
                dest[i].Should().Be(src < n ? signal[src] : 0f, $"window {k} sample {i} (N={n}, W={w}, H={h})");
            }
            windows.Add(win);
        }
        windows.Count.Should().Be((int)WindowFramer.WindowCount(n, w, h));
        framer.SamplesRead.Should().Be(n);
        framer.TryWriteNext(dest, out _).Should().BeFalse("the end stays the end");
    }

    [Fact]
    public void EmptySource_HasNoWindows()
    {
        var framer = new WindowFramer(new ArraySampleSource(Array.Empty<float>(), 16000), 4, 2);
        framer.TryWriteNext(new float[4], out var w).Should().BeFalse();
        w.Should().Be(default(AudioWindow));
    }

    [Fact]
    public void NoMoreWindows_LeavesTheDestinationUntouched()
    {
        var framer = new WindowFramer(new ArraySampleSource(new float[] { 1, 2, 3, 4 }, 10), 4, 2);
        var dest = new float[4];
        framer.TryWriteNext(dest, out _).Should().BeTrue();
        dest.Should().Equal(1, 2, 3, 4);
        framer.TryWriteNext(dest, out _).Should().BeFalse("(1-1)*2 + 4 = 4 is not < N = 4");
        dest.Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public void InvalidArguments_AreRejected()
    {
        var src = new ArraySampleSource(new float[10], 10);
        FluentActions.Invoking(() => new WindowFramer(src, 0, 1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new WindowFramer(src, 10, 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new WindowFramer(src, 10, -1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new WindowFramer(src, 10, 11)).Should().Throw<ArgumentOutOfRangeException>()
            .Which.Message.Should().Contain("must not exceed the window length");
        FluentActions.Invoking(() => new WindowFramer(null!, 10, 5)).Should().Throw<ArgumentNullException>();
        var framer = new WindowFramer(src, 10, 5);
        FluentActions.Invoking(() => framer.TryWriteNext(new float[9], out _)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => WindowFramer.WindowCount(-1, 10, 5)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void SixtyMinuteStream_FramesWithFlatMemory()
    {
        const int rate = 16000, w = 15600, h = 7800;
        const long total = 60L * 60 * rate; // 57.6 M samples, never materialised
        var source = new SyntheticSource(total, rate);
        var framer = new WindowFramer(source, w, h);
        var dest = new float[w];

        // Warm up: the first windows may JIT and allocate; the steady state must not.
        for (int i = 0; i < 3; i++) framer.TryWriteNext(dest, out _).Should().BeTrue();
        long before = GC.GetAllocatedBytesForCurrentThread();
        int windows = 3;
        long lastStart = 0;
        bool checkedContent = true;
        while (framer.TryWriteNext(dest, out var win))
        {
            windows++;
            lastStart = win.StartSample;
            // Spot-check content without allocating: sample i of window k is S(k*h + i).
            if (dest[0] != SyntheticSource.Sample(win.StartSample) || dest[w - 1] != (win.StartSample + w - 1 < total ? SyntheticSource.Sample(win.StartSample + w - 1) : 0f))
                checkedContent = false;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        windows.Should().Be((int)WindowFramer.WindowCount(total, w, h)).And.Be(7384);
        lastStart.Should().Be(7383L * h);
        checkedContent.Should().BeTrue();
        framer.SamplesRead.Should().Be(total);
        allocated.Should().BeLessThan(64 * 1024, "framing allocates nothing per window");
    }

    /// <summary>Hands out at most maxChunk samples per Read, like a decoder or a pipe.</summary>
    private sealed class ChunkedSource(float[] samples, int rate, int maxChunk) : ISampleSource
    {
        private int _pos;
        public int SampleRate => rate;
        public int Read(Span<float> destination)
        {
            int n = Math.Min(Math.Min(destination.Length, maxChunk), samples.Length - _pos);
            samples.AsSpan(_pos, n).CopyTo(destination);
            _pos += n;
            return n;
        }
        public void Dispose() { }
    }

    /// <summary>An hour of deterministic, non-zero samples generated on the fly.</summary>
    private sealed class SyntheticSource(long total, int rate) : ISampleSource
    {
        private long _pos;
        public int SampleRate => rate;
        public static float Sample(long i) => ((i % 1999) + 1) / 2000f;
        public int Read(Span<float> destination)
        {
            int n = (int)Math.Min(destination.Length, total - _pos);
            for (int i = 0; i < n; i++) destination[i] = Sample(_pos + i);
            _pos += n;
            return n;
        }
        public void Dispose() { }
    }
}
