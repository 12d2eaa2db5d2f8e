using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

public class SecondModelAndInfoTests
{
    [Fact]
    public void The_527_class_model_runs_end_to_end_with_index_labels_and_5360_sample_windows()
    {
        var r = CliRunner.Run("classify", "--model", TestAssets.SecondModel, "--wavFile", TestAssets.Meow, "--windows", "all", "--format", "csv", "--maxResults", "3");
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stderr.Should().BeEmpty();
        var rows = CliCsvRow.Parse(r.Stdout);
        // 107698 samples, W = 5360, hop = 2680: max(1, ceil((N - W) / hop) + 1) = 40 windows.
        WindowFramer.WindowCount(107698, 5360, 2680).Should().Be(40);
        rows.Should().HaveCount(40 * 3);
        rows.Should().OnlyContain(x => x.Label == x.Index.ToString() && x.Index >= 0 && x.Index < 527);
        rows[0].EndSeconds.Should().Be(0.335);
        rows[3].StartSeconds.Should().Be(0.168); // 2680 / 16000 = 0.1675
        rows.Select(x => x.Window).Distinct().Last().Should().Be("39");

        // The first window's top 3 equal the library's own classification of the first 5360 samples.
        using var classifier = AudioClassifier.Load(TestAssets.SecondModel);
        using var session = classifier.CreateSession();
        var scores = session.Classify(Pcm16Wav.Read(TestAssets.Meow).AsSpan(0, 5360));
        var top = new ScoredClass[3];
        TopK.Select(scores, top);
        rows.Take(3).Select(x => (x.Index, x.Score)).Should().Equal(top.Select(t => (t.Index, t.Score)));
    }

    [Fact]
    public void Sample_rate_option_overrides_the_default_for_a_model_without_metadata()
    {
        var r = CliRunner.Run("classify", "--model", TestAssets.SecondModel, "--wavFile", TestAssets.Meow, "--sampleRate", "8000", "--format", "json");
        r.ExitCode.Should().Be(0, r.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        var model = doc.RootElement.GetProperty("model");
        model.GetProperty("sample_rate").GetInt32().Should().Be(8000);
        model.GetProperty("class_count").GetInt32().Should().Be(527);
        model.GetProperty("window_length").GetInt32().Should().Be(5360);
        doc.RootElement.GetProperty("files")[0].GetProperty("windows")[0].GetProperty("end_seconds").GetDouble().Should().Be(0.67);
    }

    [Fact]
    public void Info_describes_yamnet()
    {
        var r = CliRunner.Run("info", TestAssets.YamnetModel);
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stderr.Should().BeEmpty();
        r.Stdout.Should().MatchRegex(@"TFLite version: 2\.(9|19)\.0")
            .And.Contain("10c95ea3eb9a7bb4cb8bddf6feb023250381008177ac162ce169694d05c317de")
            .And.Contain("known model: yamnet")
            .And.Contain("waveform_binary Float32 [15600]")
            .And.Contain("Float32 [1,521]")
            .And.Contain("sample rate: 16000 Hz")
            .And.Contain("channels: 1")
            .And.Contain("Labels: 521 (embedded:yamnet_label_list.txt)");
    }

    [Fact]
    public void Info_describes_the_model_without_metadata()
    {
        var r = CliRunner.Run("info", TestAssets.SecondModel);
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stdout.Should().Contain("known model: audioset527_5360")
            .And.Contain("Float32 [5360]")
            .And.Contain("Float32 [1,527]")
            .And.Contain("Metadata: none")
            .And.Contain("16000 Hz (default)")
            .And.Contain("Labels: 527 (index)");
    }

    [Fact]
    public void Info_with_a_missing_model_exits_2()
    {
        var r = CliRunner.Run("info", "/nonexistent/x.tflite");
        r.ExitCode.Should().Be(2);
        r.StderrLines.Should().ContainSingle();
    }
}
