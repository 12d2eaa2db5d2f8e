using System.Globalization;
using System.Text.RegularExpressions;

namespace Yamnet.Service.Tests;

/// <summary>
/// A soak over stdin: a synthetic scene (the meow, then silence, 15 windows long) repeated for
/// YAMNET_SOAK_HOURS hours of audio (default 1 in CI; 24 by hand, see docs/SERVICE.md), pushed as fast as
/// it is classified (block mode), with hop = window so every repetition is framed identically. Every
/// repetition must give the same events at the same offsets, nothing may be dropped, and RSS must stay
/// flat between the first quarter and the end. The listener runs with the GC heap limit of
/// packaging/yamnet.service (<see cref="GcHeapHardLimit"/>): without it, workstation GC on a machine
/// with a large cache lets the garbage of event messages pile up to a plateau before its first
/// collections (77 → 160 MB over a 24 h soak here), which hides whether anything leaks; with it, a leak
/// shows as growth or an out-of-memory exit (docs/SERVICE.md, Figures).
/// </summary>
public sealed class SoakTests
{
    private const int Window = 15600;

    /// <summary>The unit file's DOTNET_GCHeapHardLimit (64 MiB).</summary>
    public const string GcHeapHardLimit = "0x4000000";

    [Fact]
    public void Hours_of_audio_keep_rss_flat_and_lose_no_event()
    {
        double hours = double.TryParse(Environment.GetEnvironmentVariable("YAMNET_SOAK_HOURS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double h) ? h : 1;
        short[] scene = new short[15 * Window];
        Audio.Meow.CopyTo(scene, 0);
        byte[] bytes = Audio.Bytes(scene);
        double sceneSeconds = scene.Length / 16000.0;
        int reps = (int)Math.Ceiling(hours * 3600 / sceneSeconds);

        string dir = Yamnet.Tests.TestAssets.NewTempDir("soak");
        string config = Path.Combine(dir, "soak.yaml");
        File.WriteAllText(config, """
            hop: 0.975
            sources:
              - name: soak
                input: "-"
                overflow: block
            events:
              labels: [Cat]
            """);
        using var listener = new ListenerProcess(["--config", config], new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = GcHeapHardLimit });
        long rssFirst = 0, rssHour = 0;
        int hourReps = (int)Math.Ceiling(3600 / sceneSeconds);
        for (int i = 0; i < reps; i++)
        {
            listener.Stdin.Write(bytes);
            if (i == reps / 4) rssFirst = listener.RssKiB(); // block mode: the listener is at most a pipe buffer behind
            if (i == Math.Min(hourReps, reps - 1)) rssHour = listener.RssKiB(); // after the first hour of audio
        }
        listener.Stdin.Flush();
        long rssLast = listener.RssKiB();
        listener.CloseStdin();
        listener.WaitForExit(hours * 3600).Should().Be(0, string.Join("\n", listener.StderrLines.TakeLast(20)));

        var starts = listener.Events.Where(e => e.GetProperty("type").GetString() == "start").Select(e => e.GetProperty("start_seconds").GetDouble()).ToList();
        var byRep = starts.GroupBy(s => (int)Math.Floor(s / sceneSeconds + 1e-9)).ToDictionary(g => g.Key, g => g.Select(s => Math.Round(s - g.Key * sceneSeconds, 3)).ToList());
        byRep.Should().HaveCount(reps, "every repetition of the scene has its Cat event");
        var first = byRep[0];
        first.Should().NotBeEmpty();
        byRep.Values.Should().OnlyContain(offsets => offsets.SequenceEqual(first), "each repetition gives the same events at the same offsets");
        string summary = listener.StderrLines.Single(l => l.Contains("windows classified"));
        Regex.Match(summary, @"(\d+) windows classified").Groups[1].Value.Should().Be((reps * 15L).ToString(CultureInfo.InvariantCulture), summary);
        summary.Should().Contain(" 0 dropped");
        // Flat: the end within 10% (+8 MiB for allocator noise) of the first quarter.
        rssLast.Should().BeLessThan(rssFirst + rssFirst / 10 + 8 * 1024, $"RSS {rssFirst} KiB after a quarter, {rssLast} KiB at the end");
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "yamnet-soak.txt"),
            $"{DateTime.UtcNow:O} soak {hours} h ({reps} scenes, {reps * 15} windows): RSS {rssHour} KiB after the first hour, {rssFirst} KiB at 1/4, {rssLast} KiB at the end; {starts.Count} Cat events; {summary}; {listener.StderrLines.LastOrDefault(l => l.Contains("memory:"))}\n");
    }
}
