using System.Text.Json;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

public class JsonOutputTests
{
    [Fact]
    public void Json_parses_and_holds_every_window_with_round_tripping_scores()
    {
        var r = CliRunner.Run("classify", "--wavFile", TestAssets.Meow, "--windows", "all", "--format", "json");
        r.ExitCode.Should().Be(0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var model = doc.RootElement.GetProperty("model");
        model.GetProperty("sha256").GetString().Should().Be("10c95ea3eb9a7bb4cb8bddf6feb023250381008177ac162ce169694d05c317de");
        model.GetProperty("class_count").GetInt32().Should().Be(521);
        model.GetProperty("hop").GetInt32().Should().Be(7800);

        var file = doc.RootElement.GetProperty("files").EnumerateArray().Should().ContainSingle().Subject;
        file.GetProperty("file").GetString().Should().Be(TestAssets.Meow);
        var format = file.GetProperty("format");
        format.GetProperty("sample_rate").GetInt32().Should().Be(16000);
        format.GetProperty("channels").GetInt32().Should().Be(1);
        format.GetProperty("frames").GetInt64().Should().Be(107698);

        var golden = GoldenRow.Read(TestAssets.Golden("meow_16k.xnnpack-qs8.hop7800.top5.csv"));
        var windows = file.GetProperty("windows").EnumerateArray().ToList();
        windows.Should().HaveCount(13);
        var flat = windows.SelectMany(w => w.GetProperty("classes").EnumerateArray().Select((c, rank) => new GoldenRow(
            w.GetProperty("index").GetInt32(),
            (long)Math.Round(w.GetProperty("start_seconds").GetDouble() * 16000),
            rank, c.GetProperty("index").GetInt32(), c.GetProperty("score").GetSingle()))).ToList();
        flat.Should().Equal(golden);
        windows[12].GetProperty("end_seconds").GetDouble().Should().Be(107698 / 16000.0);
        windows[0].GetProperty("classes")[0].GetProperty("label").GetString().Should().Be("Cat");
        windows[0].GetProperty("classes")[0].TryGetProperty("mid", out _).Should().BeFalse();
    }

    [Fact]
    public void Json_summary_and_failed_files_are_recorded()
    {
        string dir = TestAssets.NewTempDir("json");
        string bad = Path.Combine(dir, "bad.wav");
        File.WriteAllText(bad, "not audio");
        var r = CliRunner.Run("classify", TestAssets.Meow, bad, "--summary", "mean", "--format", "json");
        r.ExitCode.Should().Be(1, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var files = doc.RootElement.GetProperty("files");
        files.GetArrayLength().Should().Be(2);
        var summary = files[0].GetProperty("summary");
        summary.GetProperty("method").GetString().Should().Be("mean");
        summary.GetProperty("window_count").GetInt32().Should().Be(13);
        summary.GetProperty("classes")[0].GetProperty("index").GetInt32().Should().Be(76);
        files[1].GetProperty("error").GetString().Should().NotBeNullOrEmpty();
        r.StderrLines.Should().ContainSingle().Which.Should().StartWith($"yamnet: {bad}: ");
    }
}
