using Yamnet.Audio;

namespace Yamnet.Native.Tests.Audio;

public sealed class ResamplerTests
{
    private static float[] Sine(int n, double freq, int rate)
        => Enumerable.Range(0, n).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * freq * i / rate))).ToArray();

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(22050)]
    [InlineData(8000)]
    public void RoundTrip_PreservesABandLimitedTone(int otherRate)
    {
        float[] tone = Sine(32000, 440, 16000);
        float[] there = Resampler.ResampleAll(tone, 16000, otherRate);
        there.Length.Should().BeCloseTo((int)Math.Round(32000.0 * otherRate / 16000), 1);
        float[] back = Resampler.ResampleAll(there, otherRate, 16000);
        back.Length.Should().BeCloseTo(tone.Length, 1);
        // Ignore the filter edges; in the middle the tone survives to high precision.
        double maxErr = 0;
        for (int i = 2000; i < 30000; i++) maxErr = Math.Max(maxErr, Math.Abs(back[i] - tone[i]));
        maxErr.Should().BeLessThan(1e-3);
    }

    [Fact]
    public void Streaming_InSmallChunks_EqualsOneShot()
    {
        float[] x = Sine(20000, 1000, 16000);
        float[] oneShot = Resampler.ResampleAll(x, 16000, 44100);

        using var r = new Resampler(16000, 44100);
        var output = new List<float>();
        var buf = new float[333];
        ReadOnlySpan<float> rest = x;
        while (!rest.IsEmpty)
        {
            var chunk = rest[..Math.Min(rest.Length, 101)];
            while (!chunk.IsEmpty)
            {
                r.Process(chunk, buf, out int used, out int made);
                output.AddRange(buf.AsSpan(0, made));
                chunk = chunk[used..];
                rest = rest[used..];
            }
        }
        int n;
        while ((n = r.Flush(buf)) > 0) output.AddRange(buf.AsSpan(0, n));
        r.Flush(buf).Should().Be(0);
        output.Should().Equal(oneShot);
    }

    [Fact]
    public void Arguments_AreValidated()
    {
        FluentActions.Invoking(() => new Resampler(0, 16000)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new Resampler(16000, double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new Resampler(16000, 8000, 0)).Should().Throw<ArgumentOutOfRangeException>();
        using var stereo = new Resampler(16000, 8000, 2);
        FluentActions.Invoking(() => stereo.Process(new float[3], new float[4], out _, out _)).Should().Throw<ArgumentException>();
        var disposed = new Resampler(16000, 8000);
        disposed.Dispose();
        FluentActions.Invoking(() => disposed.Flush(new float[4])).Should().Throw<ObjectDisposedException>();
    }
}
