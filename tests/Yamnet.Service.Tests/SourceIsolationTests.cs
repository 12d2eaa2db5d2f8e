using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Yamnet.Service.Tests;

/// <summary>
/// Two sources in one listener: a stream whose server refuses every connection (ffmpeg fails, is
/// reported and restarted with a doubling backoff) beside a healthy stdin whose events all arrive.
/// </summary>
public sealed class SourceIsolationTests
{
    [Fact]
    public void A_failing_source_is_retried_with_backoff_while_the_healthy_one_delivers_every_event()
    {
        // Bound but not listening: every connection to this port is refused, and nobody else can take it.
        using var refusing = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        refusing.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)refusing.LocalEndPoint!).Port;
        string config = Path.Combine(Yamnet.Tests.TestAssets.NewTempDir("isolation"), "listen.yaml");
        File.WriteAllText(config, $"""
            sources:
              - name: broken
                input: http://127.0.0.1:{port}/live.wav
                restart_initial_seconds: 0.2
                restart_max_seconds: 0.8
              - name: healthy
                input: "-"
            events:
              labels: [Cat]
            """);
        const double Gap = 4;
        double meow = Audio.Meow.Length / (double)Audio.Rate;
        short[] scene = Audio.Concat(Audio.Silence(Gap), Audio.Meow, Audio.Silence(Gap), Audio.Meow, Audio.Silence(Gap), Audio.Meow, Audio.Silence(Gap));
        using var listener = new ListenerProcess(["--config", config]);
        listener.Stdin.Write(Audio.Bytes(scene));
        listener.CloseStdin();
        listener.WaitForStderr("healthy: end of input");
        listener.WaitForStderr("broken: ", 60);
        listener.WaitFor(p => p.StderrLines.Any(l => l.Contains("broken:") && l.Contains("restarting in 0.8 s")), "the backoff to reach its cap", 120);
        listener.Signal(PosixSignal.SIGTERM);
        listener.WaitForExit(10).Should().Be(0, listener.AllOutput);

        // The failing source: each failure reported, restarts 0.2, 0.4, 0.8, 0.8... s apart.
        var delays = listener.StderrLines.Where(l => l.StartsWith("yamnet: broken:", StringComparison.Ordinal) && l.Contains("restarting in"))
            .Select(l => double.Parse(Regex.Match(l, @"restarting in ([\d.]+) s").Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        delays.Should().StartWith([0.2, 0.4, 0.8], listener.AllOutput);
        delays.Skip(2).Should().OnlyContain(d => d == 0.8);
        string brokenSummary = listener.StderrLines.Single(l => l.StartsWith("yamnet: broken:", StringComparison.Ordinal) && l.Contains(" runs, "));
        int failures = int.Parse(Regex.Match(brokenSummary, @"(\d+) failures?").Groups[1].Value, CultureInfo.InvariantCulture);
        failures.Should().BeGreaterThanOrEqualTo(delays.Count, brokenSummary);

        // The healthy source: one Cat event per meow, each opened and closed, nothing dropped.
        var healthy = listener.Events.Where(e => e.GetProperty("source").GetString() == "healthy").ToList();
        var starts = healthy.Where(e => e.GetProperty("type").GetString() == "start").Select(e => e.GetProperty("start_seconds").GetDouble()).ToList();
        for (int k = 0; k < 3; k++)
        {
            double onset = Gap + k * (Gap + meow);
            starts.Should().Contain(s => s >= onset - 1 && s <= onset + meow, $"meow {k} at {onset:0.00} s has its event");
        }
        healthy.Count(e => e.GetProperty("type").GetString() == "end").Should().Be(starts.Count);
        listener.StderrLines.Single(l => l.StartsWith("yamnet: healthy:", StringComparison.Ordinal) && l.Contains("windows classified")).Should().Contain(" 0 dropped");
        listener.Events.Should().OnlyContain(e => e.GetProperty("source").GetString() == "healthy");
    }
}
