using System.Text.Json;

namespace Yamnet.Service.Tests;

/// <summary>Saved clips (length and samples against the source) and the level gate, over stdin.</summary>
public sealed class ClipAndGateTests
{
    private const double Hop = 7800 / 16000.0;

    [Fact]
    public void Each_ended_event_is_saved_with_pre_and_post_roll_and_the_source_samples()
    {
        short[] scene = Audio.Concat(Audio.Silence(3), Audio.Meow, Audio.Silence(3));
        string dir = Yamnet.Tests.TestAssets.NewTempDir("clips");
        using var listener = new ListenerProcess(["--input", "-", "--name", "den", "--allow", "Cat", "--save-clips", dir, "--pre", "1", "--post", "1.5", "--clip-format", "wav"]);
        listener.Stdin.Write(Audio.Bytes(scene));
        listener.CloseStdin();
        listener.WaitForExit().Should().Be(0, listener.AllOutput);

        var ends = listener.Events.Where(e => e.GetProperty("type").GetString() == "end").ToList();
        ends.Should().NotBeEmpty();
        Directory.GetFiles(dir, ".*").Should().BeEmpty("temporary files are renamed or removed");
        foreach (var e in ends)
        {
            string clip = e.GetProperty("clip").GetString()!;
            Path.GetFileName(clip).Should().MatchRegex(@"^den_cat_\d{8}T\d{6}\.\d{3}Z\.wav$");
            File.Exists(clip).Should().BeTrue(clip);
            float[] saved = Yamnet.Tests.Pcm16Wav.Read(clip);
            double start = e.GetProperty("start_seconds").GetDouble(), end = e.GetProperty("end_seconds").GetDouble();
            double expected = Math.Min(end + 1.5, scene.Length / 16000.0) - Math.Max(0, start - 1);
            (saved.Length / 16000.0).Should().BeApproximately(expected, Hop, clip);
            // The clip is the source's samples from start - pre, exactly (the JSON times are rounded to the
            // millisecond, so the first sample is found within half a millisecond of it).
            int nominal = (int)Math.Round(Math.Max(0, start - 1) * 16000);
            int first = Enumerable.Range(Math.Max(0, nominal - 8), 17)
                .FirstOrDefault(f => f + saved.Length <= scene.Length && Enumerable.Range(0, saved.Length).All(i => saved[i] == scene[f + i] / 32768f), -1);
            first.Should().BeGreaterThanOrEqualTo(0, $"{clip} holds the source samples from {start - 1:0.000} s");
        }
        listener.StderrLines.Should().Contain(l => l.Contains($"{ends.Count} clips"));
    }

    [Fact]
    public void The_level_gate_skips_quiet_windows_and_still_finds_the_cat()
    {
        short[] scene = Audio.Concat(Audio.Silence(10), Audio.Meow, Audio.Silence(10));
        using var listener = new ListenerProcess(["--input", "-", "--allow", "Cat", "--min-level", "-60"]);
        listener.Stdin.Write(Audio.Bytes(scene));
        listener.CloseStdin();
        listener.WaitForExit().Should().Be(0, listener.AllOutput);
        listener.Events.Should().Contain(e => e.GetProperty("label").GetString() == "Cat");
        string summary = listener.StderrLines.Single(l => l.Contains("below the level gate"));
        var m = System.Text.RegularExpressions.Regex.Match(summary, @"(\d+) windows classified, (\d+) below the level gate \(([\d.]+)% of inference saved\)");
        m.Success.Should().BeTrue(summary);
        int classified = int.Parse(m.Groups[1].Value), gated = int.Parse(m.Groups[2].Value);
        gated.Should().BeGreaterThan(classified, "20 of the 27 seconds are digital silence");
    }
}
