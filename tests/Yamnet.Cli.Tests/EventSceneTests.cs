using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;
using Yamnet.Evaluation;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>
/// A scene synthesised here with exact ground truth (sox beep, espeak-ng speech, the shared meow,
/// sox white noise, separated by silence): detect finds each sound, and eval scores it.
/// </summary>
public sealed class EventSceneTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("yamnet-scene-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.Should().Be(0, $"{tool} {string.Join(' ', args)}: {err}");
    }

    private static double Seconds(string wav)
    {
        var psi = new ProcessStartInfo("soxi", ["-D", wav]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return double.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Builds the scene; returns its path and the reference (filename onset offset label) lines.</summary>
    private (string Scene, string Reference) Synthesize()
    {
        string P(string name) => Path.Combine(_dir, name);
        Run("sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", P("silence.wav"), "trim", "0", "2");
        Run("sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", P("beep.wav"), "synth", "2.5", "sine", "1000", "vol", "0.5");
        Run("espeak-ng", "-w", P("speech22.wav"), "The quick brown fox jumps over the lazy dog near the river bank");
        Run("sox", P("speech22.wav"), "-r", "16000", "-c", "1", "-b", "16", P("speech.wav"));
        Run("sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", P("noise.wav"), "synth", "2", "whitenoise", "vol", "0.3");
        var parts = new (string File, string? Label)[]
        {
            ("silence.wav", null), ("beep.wav", "Beep, bleep"), ("silence.wav", null), ("speech.wav", "Speech"), ("silence.wav", null),
            (TestAssets.Meow, "Cat"), ("silence.wav", null), ("noise.wav", "White noise"), ("silence.wav", null),
        };
        var reference = new System.Text.StringBuilder();
        double t = 0;
        foreach (var (file, label) in parts)
        {
            string path = Path.IsPathRooted(file) ? file : P(file);
            double length = Seconds(path);
            if (label is not null) reference.Append(string.Create(CultureInfo.InvariantCulture, $"scene.wav\t{t:0.######}\t{t + length:0.######}\t{label}\n"));
            t += length;
        }
        Run("sox", [.. parts.Select(p => Path.IsPathRooted(p.File) ? p.File : P(p.File)), P("scene.wav")]);
        File.WriteAllText(P("reference.tsv"), reference.ToString());
        return (P("scene.wav"), P("reference.tsv"));
    }

    private static readonly string[] Watch = ["--allow", "Beep, bleep", "--allow", "Speech", "--allow", "Cat", "--allow", "White noise", "--merge-gap", "1"];

    [Fact]
    public async Task Detect_finds_every_sound_of_the_scene_and_eval_scores_it()
    {
        var (scene, referencePath) = Synthesize();
        var detected = await CliRunner.RunAsync(["detect", scene, "--format", "dcase", .. Watch], _dir);
        detected.ExitCode.Should().Be(0, detected.ToString());
        string estimatedPath = Path.Combine(_dir, "estimated.tsv");
        File.WriteAllBytes(estimatedPath, detected.StdoutBytes);

        var reference = DcaseEventList.Read(referencePath);
        var estimated = DcaseEventList.Read(estimatedPath);
        reference.Events.Should().HaveCount(4);
        foreach (var r in reference.Events)
        {
            // found: an event of the same label overlapping at least half of the reference
            estimated.Events.Should().Contain(e => e.Label == r.Label && Math.Min(e.Offset, r.Offset) - Math.Max(e.Onset, r.Onset) >= 0.5 * (r.Offset - r.Onset),
                $"{r.Label} at {r.Onset:0.00}-{r.Offset:0.00} s should be detected; got {detected.Stdout}");
        }

        var eval = await CliRunner.RunAsync(["eval", "--reference", referencePath, "--estimated", estimatedPath, "--format", "json"], _dir);
        eval.ExitCode.Should().Be(0, eval.ToString());
        using var json = JsonDocument.Parse(eval.Stdout);
        double F(string family, string part, string name) => json.RootElement.GetProperty(family).GetProperty(part).GetProperty(name).GetDouble();
        // The command reports what the library computes on the same lists.
        var expected = SedEvaluation.Evaluate(reference, estimated);
        F("event_based", "overall", "f1").Should().Be(expected.EventBased.Overall.F1);
        F("segment_based", "overall", "f1").Should().Be(expected.SegmentBased.Overall.F1);
        F("segment_based", "overall", "error_rate").Should().Be(expected.SegmentBased.Overall.ErrorRate);
        json.RootElement.GetProperty("event_based").GetProperty("class_wise").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("Beep, bleep", "Cat", "Speech", "White noise");
        F("segment_based", "overall", "f1").Should().BeGreaterThan(0.8, "every sound is found where it is, to the second");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scene: event-based F1 {F("event_based", "overall", "f1"):0.000} (ER {F("event_based", "overall", "error_rate"):0.000}), segment-based F1 {F("segment_based", "overall", "f1"):0.000} (ER {F("segment_based", "overall", "error_rate"):0.000})"));

        // --audio runs the same detection first.
        var direct = await CliRunner.RunAsync(["eval", "--reference", referencePath, "--audio", scene, "--format", "json", .. Watch], _dir);
        direct.ExitCode.Should().Be(0, direct.ToString());
        JsonDocument.Parse(direct.Stdout).RootElement.GetProperty("event_based").GetProperty("overall").GetProperty("f1").GetDouble().Should().Be(F("event_based", "overall", "f1"));
    }

    [Fact]
    public async Task Audacity_and_raven_outputs_carry_the_detected_events_exactly()
    {
        var json = await CliRunner.RunAsync(["detect", TestAssets.Meow, "--format", "json", "--allow", "Cat", "--allow", "Meow"], _dir);
        json.ExitCode.Should().Be(0, json.ToString());
        var events = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("files")[0].GetProperty("events").EnumerateArray()
            .Select(e => (Start: e.GetProperty("start_seconds").GetDouble(), End: e.GetProperty("end_seconds").GetDouble(), Label: e.GetProperty("label").GetString()!,
                Index: e.GetProperty("index").GetInt32(), Peak: e.GetProperty("peak").GetSingle(), Mean: e.GetProperty("mean").GetSingle())).ToList();
        events.Should().NotBeEmpty();
        var ic = CultureInfo.InvariantCulture;

        var audacity = await CliRunner.RunAsync(["detect", TestAssets.Meow, "--format", "audacity", "--allow", "Cat", "--allow", "Meow"], _dir);
        audacity.Stdout.Should().Be(string.Concat(events.Select(e => string.Create(ic, $"{e.Start:0.000000}\t{e.End:0.000000}\t{e.Label}\n"))));

        var raven = await CliRunner.RunAsync(["detect", TestAssets.Meow, "--format", "raven", "--allow", "Cat", "--allow", "Meow"], _dir);
        raven.Stdout.Should().Be("Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tBegin File\tLabel\tClass Index\tPeak Score\tMean Score\n"
            + string.Concat(events.Select((e, i) => string.Create(ic, $"{i + 1}\tSpectrogram 1\t1\t{e.Start:0.000000}\t{e.End:0.000000}\t0\t8000\tmeow_16k.wav\t{e.Label}\t{e.Index}\t{e.Peak}\t{e.Mean}\n"))));
    }

    [Fact]
    public async Task Output_dir_writes_one_file_per_input_and_never_overwrites_without_overwrite()
    {
        string outDir = Path.Combine(_dir, "out");
        string clip = Path.Combine(_dir, "clip.wav");
        File.Copy(TestAssets.Meow, clip);
        string labels = Path.Combine(outDir, "clip.wav.labels.txt");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(labels, "mine\n");
        var refused = await CliRunner.RunAsync(["detect", "clip.wav", "--format", "audacity", "--output-dir", outDir, "--allow", "Cat"], _dir);
        refused.ExitCode.Should().Be(1, refused.ToString());
        refused.Stdout.Should().BeEmpty();
        refused.Stderr.Should().Contain("not replaced (--overwrite replaces it)");
        File.ReadAllText(labels).Should().Be("mine\n", "a file the user had is never overwritten");

        var forced = await CliRunner.RunAsync(["detect", "clip.wav", "--format", "audacity", "--output-dir", outDir, "--allow", "Cat", "--overwrite"], _dir);
        forced.ExitCode.Should().Be(0, forced.ToString());
        File.ReadAllText(labels).Should().MatchRegex(@"^(\d+\.\d{6}\t\d+\.\d{6}\tCat\n)+$");
        var skipped = await CliRunner.RunAsync(["detect", "clip.wav", "--format", "audacity", "--output-dir", outDir, "--allow", "Cat"], _dir);
        skipped.Stderr.Should().Contain("0 results written").And.Contain("1 already done");
    }
}
