using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace Yamnet.Service.Tests;

/// <summary>A message as a real subscriber received it.</summary>
public sealed record Received(string Topic, string Payload, bool Retain);

/// <summary>
/// A real MQTT subscriber (MQTTnet) on '#', with a persistent session (clean session off, QoS 1), so
/// messages published while it is away (a broker restart) are kept for it by the broker.
/// </summary>
public sealed class Subscriber : IDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<Received> _messages = new();
    private readonly SemaphoreSlim _changed = new(0);
    private readonly int _port;
    private readonly string _id;
    private readonly bool _persistent;

    public Subscriber(int port, bool persistent = true, string? id = null)
    {
        _port = port;
        _persistent = persistent;
        _id = id ?? "test-sub-" + Guid.NewGuid().ToString("N")[..8];
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            _messages.Enqueue(new Received(m.Topic, Encoding.UTF8.GetString(m.Payload.ToArray()), m.Retain));
            _changed.Release();
            return Task.CompletedTask;
        };
        Connect();
    }

    public IReadOnlyList<Received> Messages => [.. _messages];

    public void Connect()
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _port).WithClientId(_id)
            .WithCleanSession(!_persistent).WithTimeout(TimeSpan.FromSeconds(10)).Build();
        _client.ConnectAsync(options).GetAwaiter().GetResult();
        var sub = new MqttClientSubscribeOptionsBuilder().WithTopicFilter("#", MqttQualityOfServiceLevel.AtLeastOnce).Build();
        _client.SubscribeAsync(sub).GetAwaiter().GetResult();
    }

    public IEnumerable<Received> On(string topic) => Messages.Where(m => m.Topic == topic);

    public void WaitFor(Func<IReadOnlyList<Received>, bool> condition, string what, double timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(timeoutSeconds);
        while (!condition(Messages))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"timed out waiting for {what}; received:\n" + string.Join("\n", Messages.Select(m => $"{m.Topic} {(m.Retain ? "[r] " : "")}{m.Payload}")));
            _changed.Wait(left);
        }
    }

    public void Dispose()
    {
        try
        {
            if (_client.IsConnected) _client.DisconnectAsync().GetAwaiter().GetResult();
        }
        catch (Exception)
        {
        }
        _client.Dispose();
    }
}
