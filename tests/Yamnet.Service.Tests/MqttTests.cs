using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Yamnet.Service.Tests;

/// <summary>
/// The MQTT output against a real mosquitto broker started by each test on 127.0.0.1 and a free port,
/// observed by a real subscriber: events, retained ON/OFF states, Home Assistant discovery, level,
/// availability with its last will, a broker restart in the middle of a stream (with and without
/// queue overflow), a wrong password, SIGTERM and systemd readiness.
/// </summary>
public sealed class MqttTests
{
    private static readonly byte[] MeowBytes = Audio.Bytes(Audio.Concat(Audio.Meow, Audio.Silence(2)));

    /// <summary>Speech then silence: once its Speech event has ended on stdout, everything written before it was processed.</summary>
    private static readonly byte[] MarkerBytes = Audio.Bytes(Audio.Concat(Audio.Pcm16(Yamnet.Tests.TestAssets.Audio("speech.wav")), Audio.Silence(2)));

    private static bool MarkerEnded(ListenerProcess p)
        => p.Events.Any(e => e.GetProperty("label").GetString() == "Speech" && e.GetProperty("type").GetString() == "end");

    private static string Availability(IReadOnlyList<Received> m) => m.First(x => x.Topic.EndsWith("/availability", StringComparison.Ordinal)).Topic;

    [Fact]
    public void Publishes_events_retained_states_discovery_and_level_and_a_SIGTERM_closes_the_open_event()
    {
        using var broker = new Mosquitto();
        using var sub = new Subscriber(broker.Port, persistent: false);
        string notifyPath = Path.Combine(broker.Dir, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        notify.ReceiveTimeout = 60_000;

        using var listener = new ListenerProcess(["--input", "-", "--name", "kitchen", "--allow", "Cat", "--mqtt", broker.Url, "--level-interval", "1"],
            new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notifyPath });
        ReceiveNotify(notify).Should().Contain("READY=1");

        listener.Stdin.Write(Audio.Bytes(Audio.Meow)); // no end of input: the last Cat event stays open
        listener.Stdin.Flush();
        sub.WaitFor(m => m.Count(x => x.Topic == "yamnet/kitchen/event" && x.Payload.Contains("\"start\"")) >= 2, "two Cat starts");
        sub.WaitFor(m => m.Any(x => x.Topic == "yamnet/kitchen/level"), "a level report");

        var clock = Stopwatch.StartNew();
        listener.Signal(PosixSignal.SIGTERM);
        listener.WaitForExit(5).Should().Be(0, listener.AllOutput);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        ReceiveNotify(notify).Should().Contain("STOPPING=1");

        string availability = Availability(sub.Messages);
        sub.WaitFor(m => m.Any(x => x.Topic == availability && x.Payload == "offline"), "offline on a clean stop");
        var events = sub.On("yamnet/kitchen/event").Select(x => JsonDocument.Parse(x.Payload).RootElement).ToList();
        events.Select(e => e.GetProperty("type").GetString()).Should().Equal(["start", "end", "start", "end"], listener.AllOutput);
        events.Should().OnlyContain(e => e.GetProperty("label").GetString() == "Cat" && e.GetProperty("source").GetString() == "kitchen");
        events[3].GetProperty("end_seconds").GetDouble().Should().BeGreaterThan(events[2].GetProperty("start_seconds").GetDouble());
        sub.On("yamnet/kitchen/cat").Select(x => x.Payload).Should().EndWith(["ON", "OFF", "ON", "OFF"]);
        JsonDocument.Parse(sub.On("yamnet/kitchen/level").First().Payload).RootElement.GetProperty("dbfs").GetDouble().Should().BeLessThan(0);
        // What was printed on stdout went to the broker too, byte for byte.
        listener.StdoutLines.Should().Equal(sub.On("yamnet/kitchen/event").Select(x => x.Payload));

        // A subscriber arriving later gets the retained state, discovery and availability at once.
        using var late = new Subscriber(broker.Port, persistent: false);
        late.WaitFor(m => m.Any(x => x.Topic == "yamnet/kitchen/cat") && m.Any(x => x.Topic == availability)
            && m.Count(x => x.Topic.StartsWith("homeassistant/", StringComparison.Ordinal)) >= 2, "retained messages");
        late.On("yamnet/kitchen/cat").Single().Should().Be(new Received("yamnet/kitchen/cat", "OFF", true));
        late.On(availability).Single().Should().Be(new Received(availability, "offline", true));
        string clientId = availability.Split('/')[1];
        var binary = JsonDocument.Parse(late.On($"homeassistant/binary_sensor/{clientId}/kitchen_cat/config").Single().Payload).RootElement;
        binary.GetProperty("state_topic").GetString().Should().Be("yamnet/kitchen/cat");
        binary.GetProperty("payload_on").GetString().Should().Be("ON");
        binary.GetProperty("payload_off").GetString().Should().Be("OFF");
        binary.GetProperty("device_class").GetString().Should().Be("sound");
        binary.GetProperty("availability_topic").GetString().Should().Be(availability);
        binary.GetProperty("unique_id").GetString().Should().Be($"{clientId}_kitchen_cat");
        binary.GetProperty("device").GetProperty("identifiers")[0].GetString().Should().Be(clientId);
        var level = JsonDocument.Parse(late.On($"homeassistant/sensor/{clientId}/kitchen_level/config").Single().Payload).RootElement;
        level.GetProperty("state_topic").GetString().Should().Be("yamnet/kitchen/level");
        level.GetProperty("unit_of_measurement").GetString().Should().Be("dBFS");
        listener.StderrLines.Should().Contain(l => l.Contains("kitchen: Cat started"));
    }

    [Fact]
    public void The_last_will_says_offline_when_the_listener_dies()
    {
        using var broker = new Mosquitto();
        using var sub = new Subscriber(broker.Port, persistent: false);
        using var listener = new ListenerProcess(["--input", "-", "--name", "porch", "--allow", "Dog", "--mqtt", broker.Url]);
        sub.WaitFor(m => m.Any(x => x.Topic.EndsWith("/availability", StringComparison.Ordinal) && x.Payload == "online"), "online");
        string availability = Availability(sub.Messages);
        listener.KillHard();
        sub.WaitFor(m => m.Any(x => x.Topic == availability && x.Payload == "offline"), "the will's offline");
    }

    [Fact]
    public void A_broker_restart_mid_stream_loses_no_event_within_the_queue()
    {
        using var broker = new Mosquitto();
        using var sub = new Subscriber(broker.Port, persistent: true);
        using var listener = new ListenerProcess(["--input", "-", "--name", "yard", "--allow", "Cat", "--allow", "Speech", "--mqtt", broker.Url]);
        listener.Stdin.Write(MeowBytes);
        listener.Stdin.Flush();
        // The first clip's four events (two Cat events, each start and end) must have reached the
        // subscriber before the broker goes: a killed mosquitto (no persistence here) loses what it
        // had acknowledged to the listener but not yet delivered, which is the broker's loss, not ours.
        listener.WaitFor(p => p.Events.Count >= 4, "the first clip's events");
        sub.WaitFor(m => m.Count(x => x.Topic == "yamnet/yard/event") >= 4, "the first clip's events at the subscriber");

        broker.Stop();
        listener.WaitForStderr("retrying with backoff");
        for (int i = 0; i < 3; i++) listener.Stdin.Write(MeowBytes);
        listener.Stdin.Write(MarkerBytes);
        listener.Stdin.Flush();
        listener.WaitFor(MarkerEnded, "the events made while the broker is down");
        int expected = listener.Events.Count;
        broker.Start();
        sub.Connect();
        listener.WaitForStderr("connected again");
        listener.CloseStdin();
        listener.WaitForExit().Should().Be(0, listener.AllOutput);

        var printed = listener.StdoutLines;
        printed.Count.Should().BeGreaterThanOrEqualTo(expected);
        sub.WaitFor(m => m.Count(x => x.Topic == "yamnet/yard/event") >= printed.Count, "every event after the restart");
        sub.On("yamnet/yard/event").Select(x => x.Payload).Distinct().Should().Equal(printed);
        listener.StderrLines.Should().Contain(l => l.Contains("0 dropped (queue full)"));
    }

    [Fact]
    public void Beyond_the_queue_bound_the_oldest_messages_are_dropped_counted_and_reported()
    {
        using var broker = new Mosquitto();
        using var sub = new Subscriber(broker.Port, persistent: true);
        string config = Path.Combine(broker.Dir, "listen.yaml");
        File.WriteAllText(config, $"""
            sources:
              - name: shed
                input: "-"
            events:
              labels: [Cat, Speech]
            outputs:
              mqtt:
                url: {broker.Url}
                queue: 4
                reconnect_initial_seconds: 0.2
                reconnect_max_seconds: 1
            """);
        using var listener = new ListenerProcess(["--config", config]);
        sub.WaitFor(m => m.Any(x => x.Topic.EndsWith("/availability", StringComparison.Ordinal) && x.Payload == "online"), "online");

        broker.Stop();
        listener.WaitForStderr("retrying with backoff");
        for (int i = 0; i < 3; i++) listener.Stdin.Write(MeowBytes);
        listener.Stdin.Write(MarkerBytes);
        listener.Stdin.Flush();
        listener.WaitFor(MarkerEnded, "the events made while the broker is down");
        listener.WaitForStderr("dropped the oldest");
        int down = listener.Events.Count;
        long expectedDrops = 2L * down - 4; // each event is an event message plus a state message (watched labels); 4 fit
        broker.Start();
        sub.Connect();
        listener.WaitForStderr("connected again");
        listener.CloseStdin();
        listener.WaitForExit().Should().Be(0, listener.AllOutput);

        listener.StderrLines.Should().Contain(l => l.Contains($": {expectedDrops} dropped (queue full)") || l.Contains($" {expectedDrops} dropped (queue full)"));
        // The newest two events made while the broker was down survived, then the end-of-input close.
        var printed = listener.StdoutLines;
        sub.WaitFor(m => m.Any(x => x.Topic == "yamnet/shed/event" && x.Payload == printed[^1]), "the final event");
        sub.On("yamnet/shed/event").Select(x => x.Payload).Should().Contain(printed[down - 1]).And.Contain(printed[down - 2]).And.NotContain(printed[0]);
    }

    [Fact]
    public void A_wrong_password_is_refused_with_one_clear_error_and_never_printed()
    {
        using var broker = new Mosquitto(new Dictionary<string, string> { ["ha"] = "right-Pa55" });
        string wrong = Path.Combine(broker.Dir, "wrong.pw"), right = Path.Combine(broker.Dir, "right.pw");
        File.WriteAllText(wrong, "hunter2-wrong-XYZ\n");
        File.WriteAllText(right, "right-Pa55\n");
        string url = $"mqtt://ha@127.0.0.1:{broker.Port}";

        using (var bad = new ListenerProcess(["--input", "-", "--allow", "Cat", "--mqtt", url, "--mqtt-password-file", wrong]))
        {
            bad.WaitForExit(60).Should().Be(1, bad.AllOutput);
            bad.StderrLines.Should().Contain(l => l.Contains("refused user 'ha'") && (l.Contains("NotAuthorized") || l.Contains("BadUserNameOrPassword")));
            bad.AllOutput.Should().NotContain("hunter2");
        }
        using var good = new ListenerProcess(["--input", "-", "--allow", "Cat", "--mqtt", url, "--mqtt-password-file", right]);
        good.WaitForStderr("connected");
        good.Signal(PosixSignal.SIGTERM);
        good.WaitForExit(5).Should().Be(0);
        good.AllOutput.Should().NotContain("right-Pa55");
    }

    private static string ReceiveNotify(Socket socket)
    {
        var buffer = new byte[4096];
        int n = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
