using System.Globalization;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

public class GoldenWindowTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "meow_16k", "xnnpack" }, { "speech", "xnnpack" }, { "two_heads", "xnnpack" },
        { "meow_16k", "none" }, { "speech", "none" }, { "two_heads", "none" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_window_matches_the_golden_csv(string clip, string delegateName)
    {
        string audio = TestAssets.Audio(clip + ".wav");
        string golden = TestAssets.Golden($"{clip}.{(delegateName == "none" ? "builtin" : "xnnpack-qs8")}.hop7800.top5.csv");
        var r = CliRunner.Run("classify", "--wavFile", audio, "--windows", "all", "--format", "csv", "--maxResults", "5", "--delegate", delegateName);
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stderr.Should().BeEmpty();

        var expected = GoldenRow.Read(golden);
        var actual = CliCsvRow.Parse(r.Stdout);
        actual.Should().HaveCount(expected.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            a.File.Should().Be(audio);
            int.Parse(a.Window, CultureInfo.InvariantCulture).Should().Be(e.Window);
            // Seconds print with 3 decimals: within half a millisecond (8 samples at 16 kHz) of start_sample.
            (a.StartSeconds * 16000).Should().BeApproximately(e.StartSample, 8.0);
            a.Rank.Should().Be(e.Rank);
            a.Index.Should().Be(e.Index, $"row {i}");
            a.Score.Should().Be(e.Score, $"row {i}");
        }
    }
}
