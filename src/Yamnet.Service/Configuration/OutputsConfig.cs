namespace Yamnet.Service.Configuration;

/// <summary>Where events go. Several at once; each has its own queue, so a slow one holds no other back.</summary>
public sealed class OutputsConfig
{
    /// <summary>Events as JSON lines on standard output (for pipes).</summary>
    public bool Stdout { get; set; } = true;

    public MqttConfig? Mqtt { get; set; }

    public WebhookConfig? Webhook { get; set; }

    internal void Validate(string path, List<string> errors)
    {
        Mqtt?.Validate(path + ".mqtt", errors);
        Webhook?.Validate(path + ".webhook", errors);
    }
}
