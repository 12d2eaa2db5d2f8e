using Yamnet.Audio;

namespace Yamnet.Native.Tests.Audio;

public class WindowHopTests
{
    [Theory]
    [InlineData("7800", 7800)]
    [InlineData("15600", 15600)]
    [InlineData("window", 15600)]
    [InlineData("0.4875s", 7800)]
    [InlineData("0.975s", 15600)]
    [InlineData("487.5ms", 7800)]
    [InlineData("1", 1)]
    [InlineData("0.1s", 1600)]
    public void Hops_in_samples_seconds_or_the_window(string text, int hop)
        => WindowHop.Parse(text, 15600, 16000).Should().Be(hop);

    [Theory]
    [InlineData("15601", "must be from 1 to the window length (15600 samples, 0.975 s)")]
    [InlineData("1s", "is 16000 samples")]
    [InlineData("0", "is 0 samples")]
    [InlineData("-5", "use a number of samples")]
    [InlineData("fast", "use a number of samples")]
    [InlineData("xs", "not a non-negative number")]
    public void Bad_hops_say_why(string text, string message)
    {
        var act = () => WindowHop.Parse(text, 15600, 16000);
        act.Should().Throw<FormatException>().WithMessage("*" + message + "*");
    }

    [Fact]
    public void Hop_equal_to_the_window_frames_non_overlapping_windows()
    {
        var samples = Enumerable.Range(0, 10).Select(i => (float)i).ToArray();
        using var source = new ArraySampleSource(samples, 16000);
        var framer = new WindowFramer(source, 4, WindowHop.Parse("window", 4, 16000));
        var buf = new float[4];
        var starts = new List<long>();
        while (framer.TryWriteNext(buf, out var w)) starts.Add(w.StartSample);
        starts.Should().Equal(0, 4, 8);
        Yamnet.Classification.FileAnalyzer.HopFor(15600, 0).Should().Be(15600, "an overlapping factor of 0 is allowed now");
    }
}
