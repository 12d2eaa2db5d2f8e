using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Protocol;
using Yamnet.Service.Configuration;

namespace Yamnet.Service.Outputs;

/// <summary>
/// Publishes to an MQTT broker (MQTTnet), under <c>&lt;prefix&gt;</c> (default <c>yamnet</c>):
/// <list type="bullet">
/// <item><c>yamnet/&lt;source&gt;/event</c>: each event's JSON (QoS 1, not retained);</item>
/// <item><c>yamnet/&lt;source&gt;/&lt;label&gt;</c>: <c>ON</c>/<c>OFF</c> per watched label (retained; the label as a topic slug, e.g. <c>whimper_dog</c>);</item>
/// <item><c>yamnet/&lt;source&gt;/level</c>: <c>{"rms":…,"dbfs":…}</c> every level_interval seconds;</item>
/// <item><c>yamnet/&lt;client_id&gt;/availability</c>: <c>online</c> (retained) after connecting, <c>offline</c> as the last will and on a clean stop;</item>
/// <item>Home Assistant discovery (retained) under <c>homeassistant/binary_sensor/&lt;client_id&gt;/&lt;source&gt;_&lt;label&gt;/config</c> and <c>homeassistant/sensor/&lt;client_id&gt;/&lt;source&gt;_level/config</c>.</item>
/// </list>
/// Events and states wait in a bounded queue while the broker is away (oldest dropped, counted,
/// reported) and are sent in order once it is back; an item leaves the queue only after the broker
/// acknowledged it (QoS 1). Reconnection backs off from reconnect_initial_seconds to reconnect_max_seconds.
/// On each (re)connection availability, discovery and every state are published again. The password
/// is read once, kept in memory and never logged. A broker refusing the credentials on the first
/// connection is fatal (<see cref="Fatal"/>): retrying a wrong password forever helps nobody.
/// </summary>
public sealed class MqttOutput : IEventOutput
{
    private readonly MqttConfig _config;
    private readonly Action<string> _log;
    private readonly BoundedOutbox<MqttApplicationMessage> _outbox;
    private readonly IMqttClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _fatal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<string>> _on = new(StringComparer.Ordinal); // source -> open label slugs
    private readonly Dictionary<string, (double Rms, double Dbfs)> _levels = new(StringComparer.Ordinal);
    private readonly string? _password;
    private IReadOnlyDictionary<string, IReadOnlyList<string>> _watched = new Dictionary<string, IReadOnlyList<string>>();
    private Task? _loop;
    private volatile bool _draining;
    private bool _everConnected;
    private long _published;

    public MqttOutput(MqttConfig config, Action<string> log)
    {
        _config = config;
        _log = log;
        _outbox = new BoundedOutbox<MqttApplicationMessage>(config.Queue);
        _password = config.ReadPassword();
        _client = new MqttClientFactory().CreateMqttClient();
    }

    public string Name => "mqtt";

    public string Endpoint => $"{(_config.Tls ? "mqtts" : "mqtt")}://{(_config.Username is null ? "" : _config.Username + "@")}{_config.Host}:{_config.EffectivePort}";

    public string AvailabilityTopic => $"{_config.TopicPrefix}/{_config.EffectiveClientId}/availability";

    public Task<string> Fatal => _fatal.Task;

    public long Dropped => _outbox.Dropped;

    public string Summary => $"mqtt {Endpoint}: {Interlocked.Read(ref _published)} messages published, {_outbox.Dropped} dropped (queue full), {_outbox.Count} undelivered";

    /// <summary>The state topic level of a label (<see cref="LabelSlug"/>).</summary>
    public static string Slug(string label) => LabelSlug.Of(label);

    public void Start(IReadOnlyDictionary<string, IReadOnlyList<string>> watched)
    {
        _watched = watched;
        _loop = Task.Run(RunAsync);
    }

    public void Publish(ServiceEvent e)
    {
        Enqueue(Message($"{_config.TopicPrefix}/{e.Source}/event", EventJson.Serialize(e), retain: false));
        if (!IsWatched(e.Source, e.Label)) return;
        string slug = Slug(e.Label);
        lock (_lock)
        {
            if (!_on.TryGetValue(e.Source, out var set)) _on[e.Source] = set = [];
            if (e.Kind == ServiceEventKind.Start) set.Add(slug);
            else set.Remove(slug);
        }
        Enqueue(State(e.Source, slug, e.Kind == ServiceEventKind.Start));
    }

    public void PublishLevel(string source, double rms, double dbfs)
    {
        lock (_lock) _levels[source] = (rms, dbfs);
        _outbox.Poke();
    }

    private bool IsWatched(string source, string label) => _watched.TryGetValue(source, out var labels) && labels.Contains(label);

    private void Enqueue(MqttApplicationMessage message)
    {
        if (!_outbox.Enqueue(message) && DropReport.ShouldLog(_outbox.Dropped))
            _log($"mqtt: queue full ({_outbox.Capacity} messages) while the broker is away: dropped the oldest, {_outbox.Dropped} dropped so far");
    }

    private MqttApplicationMessage State(string source, string slug, bool on)
        => Message($"{_config.TopicPrefix}/{source}/{slug}", Encoding.UTF8.GetBytes(on ? "ON" : "OFF"), retain: true);

    private static MqttApplicationMessage Message(string topic, byte[] payload, bool retain)
        => new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    private MqttClientOptions Options()
    {
        var b = new MqttClientOptionsBuilder()
            .WithTcpServer(_config.Host, _config.EffectivePort)
            .WithClientId(_config.EffectiveClientId)
            .WithCleanSession()
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(AvailabilityTopic)
            .WithWillPayload(Encoding.UTF8.GetBytes("offline"))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_config.Username is not null) b = b.WithCredentials(_config.Username, _password ?? "");
        if (_config.Tls)
        {
            b = b.WithTlsOptions(o =>
            {
                o.UseTls();
                if (_config.Insecure) o.WithCertificateValidationHandler(_ => true);
                else if (_config.CaFile is not null)
                {
                    var ca = X509CertificateLoader.LoadCertificateFromFile(_config.CaFile);
                    o.WithTrustChain([ca]);
                }
            });
        }
        return b.Build();
    }

    private async Task RunAsync()
    {
        var options = Options();
        double delay = _config.ReconnectInitialSeconds;
        bool reportedDown = false;
        while (!_stop.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                if (_draining) return; // stopping with no broker: what is queued stays undelivered (reported)
                string? failure = await ConnectAsync(options).ConfigureAwait(false);
                if (failure is null)
                {
                    reportedDown = false;
                    delay = _config.ReconnectInitialSeconds;
                    continue;
                }
                if (_fatal.Task.IsCompleted) return;
                if (!reportedDown) _log($"mqtt {Endpoint}: {failure}; retrying with backoff ({_outbox.Count} queued)");
                reportedDown = true;
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(delay), _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = Math.Min(delay * 2, _config.ReconnectMaxSeconds);
                continue;
            }
            try
            {
                await SendLevelsAsync().ConfigureAwait(false);
                if (_outbox.TryPeek(out var message))
                {
                    await PublishAsync(message).ConfigureAwait(false);
                    _outbox.MarkDelivered(message);
                    continue;
                }
                if (_draining) return;
                await _outbox.WaitAsync(TimeSpan.FromSeconds(1), _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
            {
                // The connection broke mid-publish: the message is still at the head and goes again.
                _log($"mqtt {Endpoint}: connection lost ({OneLine(e.Message)}); reconnecting");
                try
                {
                    await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception)
                {
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<string?> ConnectAsync(MqttClientOptions options)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var result = await _client.ConnectAsync(options, timeout.Token).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success) return Refused(result.ResultCode, result.ReasonString);
            _log($"mqtt {Endpoint}: connected{(_everConnected ? " again" : "")}");
            _everConnected = true;
            await PublishAsync(Message(AvailabilityTopic, Encoding.UTF8.GetBytes("online"), retain: true)).ConfigureAwait(false);
            await PublishDiscoveryAndStatesAsync().ConfigureAwait(false);
            return null;
        }
        catch (MqttConnectingFailedException e)
        {
            // MQTTnet 5 names the CONNACK reason only in the message.
            var code = Enum.GetValues<MqttClientConnectResultCode>().FirstOrDefault(c => c != MqttClientConnectResultCode.Success && e.Message.Contains(c.ToString(), StringComparison.Ordinal),
                MqttClientConnectResultCode.UnspecifiedError);
            return Refused(code, e.Message);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return "stopped";
        }
        catch (Exception e) when (FindTlsFailure(e) is { } tls)
        {
            // An untrusted or mismatched broker certificate does not heal by retrying: on the first
            // connection it ends the listener with one line, like refused credentials.
            string message = $"mqtt {Endpoint}: TLS handshake failed, the broker's certificate is not trusted: {OneLine(tls.Message)} " +
                (_config.CaFile is null ? "(give the broker's CA with --mqtt-ca or outputs.mqtt.ca_file)" : $"(not signed by the CA in {_config.CaFile}?)");
            if (!_everConnected) _fatal.TrySetResult(message);
            return message;
        }
        catch (Exception e)
        {
            return "cannot connect: " + OneLine(e.InnerException?.Message ?? e.Message);
        }
    }

    private static System.Security.Authentication.AuthenticationException? FindTlsFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is System.Security.Authentication.AuthenticationException a) return a;
        return null;
    }

    private string Refused(MqttClientConnectResultCode code, string? reason)
    {
        if (code is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized)
        {
            string who = _config.Username is null ? "an anonymous client (give a username and a password file)" : $"user '{_config.Username}'";
            string message = $"mqtt {Endpoint}: the broker refused {who}: {code} (check the username and the password file or variable)";
            if (!_everConnected)
            {
                _fatal.TrySetResult(message);
                return message;
            }
            return message;
        }
        return $"the broker refused the connection: {code}{(string.IsNullOrEmpty(reason) ? "" : " (" + OneLine(reason) + ")")}";
    }

    private async Task PublishAsync(MqttApplicationMessage message)
    {
        var result = await _client.PublishAsync(message, _stop.Token).ConfigureAwait(false);
        if (!result.IsSuccess) throw new IOException($"publish to {message.Topic} refused: {result.ReasonCode}");
        Interlocked.Increment(ref _published);
    }

    private async Task SendLevelsAsync()
    {
        KeyValuePair<string, (double Rms, double Dbfs)>[] levels;
        lock (_lock)
        {
            if (_levels.Count == 0) return;
            levels = [.. _levels];
            _levels.Clear();
        }
        foreach (var (source, (rms, dbfs)) in levels)
            await PublishAsync(Message($"{_config.TopicPrefix}/{source}/level", EventJson.Level(rms, dbfs), retain: false)).ConfigureAwait(false);
    }

    private async Task PublishDiscoveryAndStatesAsync()
    {
        foreach (var (source, labels) in _watched)
        {
            if (_config.DiscoveryPrefix.Length > 0)
            {
                foreach (string label in labels)
                    await PublishAsync(Message(BinarySensorTopic(source, label), BinarySensorConfig(source, label), retain: true)).ConfigureAwait(false);
                await PublishAsync(Message(LevelSensorTopic(source), LevelSensorConfig(source), retain: true)).ConfigureAwait(false);
            }
            HashSet<string> on;
            lock (_lock) on = _on.TryGetValue(source, out var set) ? [.. set] : [];
            foreach (string label in labels)
                await PublishAsync(State(source, Slug(label), on.Contains(Slug(label)))).ConfigureAwait(false);
        }
    }

    public string BinarySensorTopic(string source, string label) => $"{_config.DiscoveryPrefix}/binary_sensor/{_config.EffectiveClientId}/{source}_{Slug(label)}/config";

    public string LevelSensorTopic(string source) => $"{_config.DiscoveryPrefix}/sensor/{_config.EffectiveClientId}/{source}_level/config";

    private byte[] BinarySensorConfig(string source, string label) => Discovery(w =>
    {
        w.WriteString("name", $"{source} {label}");
        w.WriteString("unique_id", $"{_config.EffectiveClientId}_{source}_{Slug(label)}");
        w.WriteString("state_topic", $"{_config.TopicPrefix}/{source}/{Slug(label)}");
        w.WriteString("payload_on", "ON");
        w.WriteString("payload_off", "OFF");
        w.WriteString("device_class", "sound");
    });

    private byte[] LevelSensorConfig(string source) => Discovery(w =>
    {
        w.WriteString("name", $"{source} level");
        w.WriteString("unique_id", $"{_config.EffectiveClientId}_{source}_level");
        w.WriteString("state_topic", $"{_config.TopicPrefix}/{source}/level");
        w.WriteString("value_template", "{{ value_json.dbfs }}");
        w.WriteString("unit_of_measurement", "dBFS");
        w.WriteString("state_class", "measurement");
    });

    private byte[] Discovery(Action<Utf8JsonWriter> fields)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            fields(w);
            w.WriteString("availability_topic", AvailabilityTopic);
            w.WriteString("payload_available", "online");
            w.WriteString("payload_not_available", "offline");
            w.WriteStartObject("device");
            w.WriteStartArray("identifiers");
            w.WriteStringValue(_config.EffectiveClientId);
            w.WriteEndArray();
            w.WriteString("name", $"YAMNet listener {_config.EffectiveClientId}");
            w.WriteString("manufacturer", "Yamnet");
            w.WriteString("model", "yamnet listen");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    public async Task StopAsync(TimeSpan deadline)
    {
        _draining = true;
        _outbox.Poke();
        if (_loop is not null && await Task.WhenAny(_loop, Task.Delay(deadline)).ConfigureAwait(false) != _loop) _stop.Cancel();
        if (_loop is not null) await _loop.ConfigureAwait(false);
        if (_client.IsConnected)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await _client.PublishAsync(Message(AvailabilityTopic, Encoding.UTF8.GetBytes("offline"), retain: true), cts.Token).ConfigureAwait(false);
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), cts.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The will says offline anyway once the broker notices.
            }
        }
        _client.Dispose();
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
