namespace Yamnet.Service.Tests;

/// <summary>
/// The ALSA source through the real libasound on a machine without a sound card: an ALSA config
/// (ALSA_CONFIG_PATH) defines a capture PCM of <c>type file</c> whose <c>infile</c> is the test scene
/// (raw S16LE, 16 kHz mono) over a <c>type null</c> slave, so the listener captures the scene with
/// snd_pcm_readi as from a microphone, and must find the same events as from the same audio on stdin.
/// </summary>
public sealed class AlsaSourceTests
{
    [Fact]
    public void A_capture_device_is_read_through_libasound_and_its_events_match_the_audio()
    {
        const double Gap = 3;
        double meow = Audio.Meow.Length / (double)Audio.Rate;
        short[] scene = Audio.Concat(Audio.Silence(Gap), Audio.Meow, Audio.Silence(Gap), Audio.Meow, Audio.Silence(Gap));
        double seconds = scene.Length / (double)Audio.Rate;
        string dir = Yamnet.Tests.TestAssets.NewTempDir("alsa");
        string raw = Path.Combine(dir, "scene.raw");
        File.WriteAllBytes(raw, Audio.Bytes(scene));
        string asoundrc = Path.Combine(dir, "asound.conf");
        File.WriteAllText(asoundrc, $$"""
            pcm.scene {
              type file
              slave.pcm "silent"
              file "/dev/null"
              infile "{{raw}}"
              format "raw"
            }
            pcm.silent {
              type null
            }
            """);
        string duration = seconds.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);

        // The null slave has no clock (capture runs faster than real time): block, as a pipe would.
        using var mic = new ListenerProcess(["--device", "scene", "--name", "mic", "--allow", "Cat", "--overflow", "block", "--duration", duration],
            new Dictionary<string, string?> { ["ALSA_CONFIG_PATH"] = asoundrc });
        mic.WaitForExit().Should().Be(0, mic.AllOutput);
        using var pipe = new ListenerProcess(["--input", "-", "--name", "mic", "--allow", "Cat"]);
        pipe.Stdin.Write(Audio.Bytes(scene));
        pipe.CloseStdin();
        pipe.WaitForExit().Should().Be(0, pipe.AllOutput);

        var starts = mic.Events.Where(e => e.GetProperty("type").GetString() == "start").Select(e => e.GetProperty("start_seconds").GetDouble()).ToList();
        for (int k = 0; k < 2; k++)
        {
            double onset = Gap + k * (Gap + meow);
            starts.Should().Contain(s => s >= onset - 1 && s <= onset + meow, $"meow {k} at {onset:0.00} s has its event\n{mic.AllOutput}");
        }
        static string Key(System.Text.Json.JsonElement e) => $"{e.GetProperty("type")} {e.GetProperty("label")} {e.GetProperty("start_seconds")} {(e.TryGetProperty("end_seconds", out var x) ? x.ToString() : "")} {e.GetProperty("peak")}";
        mic.Events.Select(Key).Should().Equal(pipe.Events.Select(Key), "the device delivered the scene's samples exactly");
        string summary = mic.StderrLines.Single(l => l.Contains("windows classified"));
        summary.Should().Contain(" 0 dropped").And.Contain("1 run,");
        mic.StderrLines.Should().NotContain(l => l.Contains("restarting"), "the duration ends the device's run for good");
    }
}
