using System.Text.Json;

namespace Yamnet.Service.Tests;

/// <summary>
/// <c>mqtts://</c> against a real mosquitto with a TLS listener on 127.0.0.1, its certificate signed by
/// a CA the test makes: trusted through <c>--mqtt-ca</c>, events arrive; with another CA the listener
/// stops at once with one clear line.
/// </summary>
public sealed class MqttTlsTests
{
    [Fact]
    public void Events_go_over_tls_to_a_broker_whose_ca_is_given()
    {
        var certs = TestCertificates.Create();
        using var broker = new Mosquitto(tls: certs);
        using var sub = new Subscriber(broker.Port, persistent: false); // the plain listener of the same broker
        using var listener = new ListenerProcess(["--input", "-", "--name", "tls", "--allow", "Cat",
            "--mqtt", $"mqtts://127.0.0.1:{broker.TlsPort}", "--mqtt-ca", certs.CaFile]);
        listener.Stdin.Write(Audio.Bytes(Audio.Concat(Audio.Meow, Audio.Silence(2))));
        listener.CloseStdin();
        listener.WaitForExit().Should().Be(0, listener.AllOutput);
        listener.StderrLines.Should().Contain(l => l.Contains($"mqtt mqtts://127.0.0.1:{broker.TlsPort}: connected"));
        sub.WaitFor(m => m.Count(x => x.Topic == "yamnet/tls/event") >= 2, "the Cat start and end over TLS");
        var types = sub.On("yamnet/tls/event").Select(x => JsonDocument.Parse(x.Payload).RootElement.GetProperty("type").GetString()).ToList();
        types.Should().StartWith(["start", "end"]);
        listener.StdoutLines.Should().Equal(sub.On("yamnet/tls/event").Select(x => x.Payload));
    }

    [Fact]
    public void A_broker_certificate_from_another_ca_stops_the_listener_with_one_clear_error()
    {
        var certs = TestCertificates.Create();
        var other = TestCertificates.Create("some other CA");
        using var broker = new Mosquitto(tls: certs);
        using var listener = new ListenerProcess(["--input", "-", "--allow", "Cat", "--mqtt", $"mqtts://127.0.0.1:{broker.TlsPort}", "--mqtt-ca", other.CaFile]);
        listener.WaitFor(p => p.StderrLines.Any(l => l.Contains("TLS handshake failed")), "the TLS failure");
        listener.WaitForExit(30).Should().Be(1, listener.AllOutput);
        listener.StderrLines.Where(l => l.Contains("TLS handshake failed")).Should().ContainSingle()
            .Which.Should().Contain("not trusted").And.Contain(other.CaFile);
        listener.AllOutput.Should().NotContain("   at ", "no stack trace");
    }
}
