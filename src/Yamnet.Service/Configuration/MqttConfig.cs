using System.Globalization;

namespace Yamnet.Service.Configuration;

/// <summary>
/// The MQTT output. The password is never in the config itself: it is read from
/// <see cref="PasswordFile"/> or the environment variable <see cref="PasswordEnv"/>, and never printed.
/// </summary>
public sealed class MqttConfig
{
    public string Host { get; set; } = "";

    /// <summary>Default 1883, or 8883 with TLS.</summary>
    public int? Port { get; set; }

    public string? Username { get; set; }

    public string? PasswordFile { get; set; }

    public string? PasswordEnv { get; set; }

    public bool Tls { get; set; }

    /// <summary>A PEM CA certificate to trust (a private broker CA); default: the system's store.</summary>
    public string? CaFile { get; set; }

    /// <summary>Accept any broker certificate (testing only).</summary>
    public bool Insecure { get; set; }

    /// <summary>Identifies this listener (client id, availability topic, Home Assistant device). Default: yamnet-&lt;hostname&gt;.</summary>
    public string? ClientId { get; set; }

    /// <summary>First level of every topic.</summary>
    public string TopicPrefix { get; set; } = "yamnet";

    /// <summary>Home Assistant discovery prefix; empty disables discovery.</summary>
    public string DiscoveryPrefix { get; set; } = "homeassistant";

    /// <summary>Messages kept while the broker is away; beyond it the oldest are dropped, counted and reported.</summary>
    public int Queue { get; set; } = 1000;

    public double ReconnectInitialSeconds { get; set; } = 0.5;

    public double ReconnectMaxSeconds { get; set; } = 30;

    public int EffectivePort => Port ?? (Tls ? 8883 : 1883);

    public string EffectiveClientId => !string.IsNullOrEmpty(ClientId) ? ClientId! : SourceConfig.Sanitize("yamnet-" + Environment.MachineName.ToLowerInvariant());

    /// <summary>
    /// Parses <c>mqtt://[user@]host[:port]</c> or <c>mqtts://…</c> (TLS). A password in the URL is
    /// refused: it would show in <c>ps</c> and in shell history; use a file or an environment variable.
    /// </summary>
    public static MqttConfig FromUrl(string url, List<string> errors, string path)
    {
        var config = new MqttConfig();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts") || string.IsNullOrEmpty(uri.Host))
        {
            errors.Add($"{path}: '{SecretMasker.MaskUrl(url)}' is not mqtt://[user@]host[:port] or mqtts://…");
            return config;
        }
        config.Host = uri.Host;
        config.Tls = uri.Scheme == "mqtts";
        if (!uri.IsDefaultPort && uri.Port > 0) config.Port = uri.Port;
        if (uri.UserInfo.Length > 0)
        {
            int colon = uri.UserInfo.IndexOf(':');
            if (colon >= 0) errors.Add($"{path}: a password in the URL is refused (it shows in ps and shell history): use --mqtt-password-file or $YAMNET_MQTT_PASSWORD");
            config.Username = Uri.UnescapeDataString(colon >= 0 ? uri.UserInfo[..colon] : uri.UserInfo);
        }
        return config;
    }

    /// <summary>Reads the password from the file (first line) or the environment; null when neither is set.</summary>
    public string? ReadPassword()
    {
        if (PasswordFile is not null)
        {
            string text = File.ReadAllText(PasswordFile);
            int nl = text.IndexOfAny(['\r', '\n']);
            return nl >= 0 ? text[..nl] : text;
        }
        return PasswordEnv is not null ? Environment.GetEnvironmentVariable(PasswordEnv) : null;
    }

    internal void Validate(string path, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(Host)) errors.Add($"{path}.host: is required");
        if (Port is { } p && (p < 1 || p > 65535)) errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}.port: must be 1–65535 (got {p})"));
        if (PasswordFile is not null && PasswordEnv is not null) errors.Add($"{path}: give password_file or password_env, not both");
        if (PasswordFile is not null && !File.Exists(PasswordFile)) errors.Add($"{path}.password_file: '{PasswordFile}' does not exist");
        if (PasswordEnv is not null && Environment.GetEnvironmentVariable(PasswordEnv) is null) errors.Add($"{path}.password_env: the environment variable '{PasswordEnv}' is not set");
        if ((PasswordFile ?? PasswordEnv) is not null && string.IsNullOrEmpty(Username)) errors.Add($"{path}.username: a password needs a username");
        if (CaFile is not null && !File.Exists(CaFile)) errors.Add($"{path}.ca_file: '{CaFile}' does not exist");
        if ((CaFile is not null || Insecure) && !Tls) errors.Add($"{path}.tls: ca_file and insecure need tls: true (or an mqtts:// URL)");
        if (string.IsNullOrWhiteSpace(TopicPrefix) || TopicPrefix.IndexOfAny(['+', '#']) >= 0) errors.Add($"{path}.topic_prefix: must be a topic without + or #");
        if (DiscoveryPrefix.IndexOfAny(['+', '#']) >= 0) errors.Add($"{path}.discovery_prefix: must be a topic without + or #");
        if (ClientId is not null && (ClientId.Length == 0 || SourceConfig.Sanitize(ClientId) != ClientId)) errors.Add($"{path}.client_id: may hold only letters, digits, '-', '_' and '.'");
        if (Queue < 1) errors.Add($"{path}.queue: must be at least 1");
        if (!(ReconnectInitialSeconds > 0 && double.IsFinite(ReconnectInitialSeconds))) errors.Add($"{path}.reconnect_initial_seconds: must be a positive number of seconds");
        if (!(ReconnectMaxSeconds >= ReconnectInitialSeconds && double.IsFinite(ReconnectMaxSeconds))) errors.Add($"{path}.reconnect_max_seconds: must be at least reconnect_initial_seconds");
    }
}
