using System.Text.RegularExpressions;

namespace Yamnet.Service.Tests;

/// <summary>
/// detect's event flags on a service run of <c>listen</c> (and their config-file keys): all accepted,
/// and they change what is published.
/// </summary>
public sealed class EventFlagTests
{
    private static readonly byte[] s_scene = Audio.Bytes(Audio.Concat(Audio.Silence(3), Audio.Meow, Audio.Silence(3)));

    private static ListenerProcess Run(params string[] args)
    {
        var listener = new ListenerProcess(["--input", "-", "--name", "den", .. args]);
        listener.Stdin.Write(s_scene);
        listener.CloseStdin();
        listener.WaitForExit().Should().Be(0, listener.AllOutput);
        return listener;
    }

    private static List<string> Starts(ListenerProcess l)
        => l.Events.Where(e => e.GetProperty("type").GetString() == "start").Select(e => e.GetProperty("label").GetString()!).ToList();

    [Fact]
    public void Every_detect_event_flag_is_accepted_by_a_service_run()
    {
        string dir = Yamnet.Tests.TestAssets.NewTempDir("event-flags");
        string rules = Path.Combine(dir, "rules.tsv"), groups = Path.Combine(dir, "groups.txt");
        File.WriteAllText(rules, "Speech\t0.9\n");
        File.WriteAllText(groups, "pets=Dog;Cat;Meow\n");
        using var l = Run("--events", "--threshold", "0.5:0.3", "--class-threshold", "kitty=0.4:0.2", "--thresholds", rules,
            "--min-duration", "0.1", "--merge-gap", "0.5", "--median", "3", "--group", "kitty=Cat;Meow;Purr", "--groups", groups,
            "--deny", "Cat", "--stall-timeout", "3", "--hop", "window");
        Starts(l).Should().Contain("kitty").And.Contain("pets").And.NotContain("Cat", "--deny Cat (its groups still see it)");
        // --hop window: 15 600-sample windows over the scene (the stream's tail is padded into one more window).
        int samples = s_scene.Length / 2;
        string summary = l.StderrLines.Single(x => x.Contains("windows classified"));
        int windows = int.Parse(Regex.Match(summary, @"(\d+) windows classified").Groups[1].Value);
        windows.Should().BeInRange(samples / 15600, samples / 15600 + 1, summary);
    }

    [Fact]
    public void Min_duration_from_a_flag_or_the_config_file_removes_short_events()
    {
        using (var plain = Run("--allow", "Cat"))
            Starts(plain).Should().Contain("Cat", "the meow is an event with the default rules");
        using (var flag = Run("--allow", "Cat", "--min-duration", "30"))
        {
            Starts(flag).Should().BeEmpty("no event lasts 30 s");
            flag.StderrLines.Should().Contain(x => x.Contains("windows classified"));
        }
        string config = Path.Combine(Yamnet.Tests.TestAssets.NewTempDir("event-config"), "listen.yaml");
        File.WriteAllText(config, """
            events:
              labels: [Cat]
              min_duration: 30
            """);
        using var file = Run("--config", config);
        Starts(file).Should().BeEmpty("events.min_duration: 30 in the config");
    }
}
