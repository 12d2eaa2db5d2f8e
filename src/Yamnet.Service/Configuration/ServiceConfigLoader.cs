using System.Globalization;
using System.Text.Json;

namespace Yamnet.Service.Configuration;

/// <summary>
/// Reads a <see cref="ServiceConfig"/> from a YAML or JSON file (by extension: .json is JSON, anything
/// else YAML, of which JSON is a subset anyway). Unknown keys, wrong types and invalid values are all
/// collected, each with its path, and thrown together as one <see cref="ServiceConfigException"/>.
/// Relative file paths inside the file (model, labels, clips.dir, password_file, ca_file) are taken
/// relative to the config file's directory, so a unit file can point at /etc/yamnet/listen.yaml alone.
/// </summary>
public static class ServiceConfigLoader
{
    /// <param name="validate">False when flags still apply (e.g. <c>--input</c> supplies the source): the caller validates after them.</param>
    public static ServiceConfig Load(string path, bool validate = true)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceConfigException([$"{path}: {e.Message}"]);
        }
        var config = Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", json: path.EndsWith(".json", StringComparison.OrdinalIgnoreCase), validate);
        return config;
    }

    /// <summary>Parses config text; <paramref name="baseDirectory"/> anchors relative file paths.</summary>
    public static ServiceConfig Parse(string text, string name, string baseDirectory, bool json, bool validate = true)
    {
        ConfigNode root;
        try
        {
            if (json)
            {
                using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                root = ConfigNode.FromJson(doc.RootElement);
            }
            else
            {
                root = ConfigNode.FromYaml(new StringReader(text));
            }
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw new ServiceConfigException([$"{name}: not valid {(json ? "JSON" : "YAML")}: {CleanParserMessage(e)}"]);
        }
        var reader = new Reader(baseDirectory);
        var config = reader.Read(root);
        var errors = reader.Errors;
        if (errors.Count == 0 && validate) errors.AddRange(config.Validate());
        if (errors.Count > 0) throw new ServiceConfigException(errors);
        return config;
    }

    private static string CleanParserMessage(Exception e)
        => e is YamlDotNet.Core.YamlException y ? $"line {y.Start.Line}, column {y.Start.Column}: {y.Message}" : e.Message;

    private sealed class Reader(string baseDirectory)
    {
        public List<string> Errors { get; } = [];

        public ServiceConfig Read(ConfigNode root)
        {
            var c = new ServiceConfig();
            Map(root, new()
            {
                ["model"] = n => c.Model = FilePath(n),
                ["labels"] = n => c.Labels = FilePath(n),
                ["overlap"] = n => c.Overlap = Number(n) ?? c.Overlap,
                ["hop"] = n => c.HopSeconds = Number(n),
                ["min_level"] = n => c.MinLevelDbfs = Number(n),
                ["level_interval"] = n => c.LevelIntervalSeconds = Number(n) ?? c.LevelIntervalSeconds,
                ["sources"] = n => c.Sources = List(n, Source),
                ["events"] = n => c.Events = Events(n),
                ["clips"] = n => c.Clips = Clips(n),
                ["outputs"] = n => c.Outputs = Outputs(n),
            });
            return c;
        }

        private SourceConfig Source(ConfigNode node)
        {
            var s = new SourceConfig();
            if (node is ConfigScalar { Value: { } shorthand }) // "- alsa:default" or "- rtsp://…"
            {
                s.Input = shorthand;
                return s;
            }
            Map(node, new()
            {
                ["name"] = n => s.Name = String(n),
                ["input"] = n => s.Input = String(n) ?? "",
                ["rate"] = n => s.Rate = Int(n) ?? s.Rate,
                ["channels"] = n => s.Channels = Int(n) ?? s.Channels,
                ["overflow"] = n => s.Overflow = String(n),
                ["queue"] = n => s.Queue = Int(n) ?? s.Queue,
                ["stall_seconds"] = n => s.StallSeconds = Number(n) ?? s.StallSeconds,
                ["restart_initial_seconds"] = n => s.RestartInitialSeconds = Number(n) ?? s.RestartInitialSeconds,
                ["restart_max_seconds"] = n => s.RestartMaxSeconds = Number(n) ?? s.RestartMaxSeconds,
                ["ffmpeg"] = n => s.Ffmpeg = String(n) ?? s.Ffmpeg,
                ["duration"] = n => s.DurationSeconds = Number(n),
            });
            return s;
        }

        private EventsConfig Events(ConfigNode node)
        {
            var e = new EventsConfig();
            Map(node, new()
            {
                ["labels"] = n => e.Labels = List(n, x => String(x) ?? ""),
                ["deny"] = n => e.Deny = List(n, x => String(x) ?? ""),
                ["threshold"] = n => e.Threshold = Number(n) ?? e.Threshold,
                ["off_threshold"] = n => e.OffThreshold = Number(n),
                ["min_duration"] = n => e.MinDurationSeconds = Number(n) ?? 0,
                ["merge_gap"] = n => e.MergeGapSeconds = Number(n) ?? 0,
                ["stall_seconds"] = n => e.StallSeconds = Number(n) ?? e.StallSeconds,
                ["median"] = n => e.Median = Int(n) ?? 1,
                ["class_thresholds"] = n => e.ClassThresholds = List(n, x => String(x) ?? ""),
                ["groups"] = n => e.Groups = List(n, x => String(x) ?? ""),
                ["rules_file"] = n => e.RulesFile = FilePath(n),
                ["groups_file"] = n => e.GroupsFile = FilePath(n),
            });
            return e;
        }

        private ClipsConfig Clips(ConfigNode node)
        {
            var k = new ClipsConfig();
            Map(node, new()
            {
                ["dir"] = n => k.Dir = FilePath(n) ?? "",
                ["pre"] = n => k.PreSeconds = Number(n) ?? k.PreSeconds,
                ["post"] = n => k.PostSeconds = Number(n) ?? k.PostSeconds,
                ["format"] = n => k.Format = String(n) ?? k.Format,
                ["max_event_seconds"] = n => k.MaxEventSeconds = Number(n) ?? k.MaxEventSeconds,
                ["max_mb"] = n => k.MaxMegabytes = Number(n),
            });
            return k;
        }

        private OutputsConfig Outputs(ConfigNode node)
        {
            var o = new OutputsConfig();
            Map(node, new()
            {
                ["stdout"] = n => o.Stdout = Bool(n) ?? o.Stdout,
                ["mqtt"] = n => o.Mqtt = Mqtt(n),
                ["webhook"] = n => o.Webhook = Webhook(n),
            });
            return o;
        }

        private MqttConfig? Mqtt(ConfigNode node)
        {
            if (node is ConfigScalar { Value: null }) return null;
            if (node is ConfigScalar { Value: { } url }) return MqttConfig.FromUrl(url, Errors, node.Path);
            var m = new MqttConfig();
            Map(node, new()
            {
                ["url"] = n =>
                {
                    if (String(n) is not { } u) return;
                    var parsed = MqttConfig.FromUrl(u, Errors, n.Path);
                    m.Host = parsed.Host;
                    m.Port ??= parsed.Port;
                    m.Tls |= parsed.Tls;
                    m.Username ??= parsed.Username;
                },
                ["host"] = n => m.Host = String(n) ?? "",
                ["port"] = n => m.Port = Int(n),
                ["username"] = n => m.Username = String(n),
                ["password_file"] = n => m.PasswordFile = FilePath(n),
                ["password_env"] = n => m.PasswordEnv = String(n),
                ["password"] = n => Errors.Add($"{n.Path}: not accepted in a config file (it would be readable by anyone who can read the file): use password_file or password_env"),
                ["tls"] = n => m.Tls = Bool(n) ?? m.Tls,
                ["ca_file"] = n => m.CaFile = FilePath(n),
                ["insecure"] = n => m.Insecure = Bool(n) ?? false,
                ["client_id"] = n => m.ClientId = String(n),
                ["topic_prefix"] = n => m.TopicPrefix = String(n) ?? m.TopicPrefix,
                ["discovery_prefix"] = n => m.DiscoveryPrefix = String(n) ?? "",
                ["queue"] = n => m.Queue = Int(n) ?? m.Queue,
                ["reconnect_initial_seconds"] = n => m.ReconnectInitialSeconds = Number(n) ?? m.ReconnectInitialSeconds,
                ["reconnect_max_seconds"] = n => m.ReconnectMaxSeconds = Number(n) ?? m.ReconnectMaxSeconds,
            });
            return m;
        }

        private WebhookConfig? Webhook(ConfigNode node)
        {
            if (node is ConfigScalar { Value: null }) return null;
            if (node is ConfigScalar { Value: { } url }) return new WebhookConfig { Url = url };
            var w = new WebhookConfig();
            Map(node, new()
            {
                ["url"] = n => w.Url = String(n) ?? "",
                ["timeout_seconds"] = n => w.TimeoutSeconds = Number(n) ?? w.TimeoutSeconds,
                ["queue"] = n => w.Queue = Int(n) ?? w.Queue,
                ["retry_initial_seconds"] = n => w.RetryInitialSeconds = Number(n) ?? w.RetryInitialSeconds,
                ["retry_max_seconds"] = n => w.RetryMaxSeconds = Number(n) ?? w.RetryMaxSeconds,
            });
            return w;
        }

        private void Map(ConfigNode node, Dictionary<string, Action<ConfigNode>> keys)
        {
            if (node is not ConfigMap map)
            {
                if (node is ConfigScalar { Value: null }) return; // an empty section
                Errors.Add($"{Where(node)}: must be a mapping of settings");
                return;
            }
            foreach (var (key, value) in map.Entries)
            {
                if (keys.TryGetValue(key, out var set)) set(value);
                else Errors.Add($"{ConfigNode.Join(map.Path, key)}: unknown setting{Suggest(key, keys.Keys)}");
            }
        }

        private List<T> List<T>(ConfigNode node, Func<ConfigNode, T> item)
        {
            if (node is ConfigList list) return list.Items.Select(item).ToList();
            if (node is ConfigScalar { Value: null }) return [];
            Errors.Add($"{Where(node)}: must be a list");
            return [];
        }

        private string? String(ConfigNode node)
        {
            if (node is ConfigScalar s) return s.Value;
            Errors.Add($"{Where(node)}: must be a single value");
            return null;
        }

        private string? FilePath(ConfigNode node)
            => String(node) is { Length: > 0 } p ? Path.GetFullPath(p, baseDirectory) : null;

        private double? Number(ConfigNode node)
        {
            if (String(node) is not { } text) return null;
            if (node is ConfigScalar { Quoted: false } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)) return v;
            Errors.Add($"{node.Path}: must be a number (got '{text}')");
            return null;
        }

        private int? Int(ConfigNode node)
        {
            if (String(node) is not { } text) return null;
            if (node is ConfigScalar { Quoted: false } && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)) return v;
            Errors.Add($"{node.Path}: must be a whole number (got '{text}')");
            return null;
        }

        private bool? Bool(ConfigNode node)
        {
            if (String(node) is not { } text) return null;
            if (node is ConfigScalar { Quoted: false })
            {
                if (text is "true" or "True" or "TRUE" or "yes" or "on") return true;
                if (text is "false" or "False" or "FALSE" or "no" or "off") return false;
            }
            Errors.Add($"{node.Path}: must be true or false (got '{text}')");
            return null;
        }

        private static string Where(ConfigNode node) => node.Path.Length == 0 ? "(top level)" : node.Path;

        private static string Suggest(string key, IEnumerable<string> known)
        {
            var best = known.Select(k => (k, d: Yamnet.Text.EditDistance.Between(key, k))).OrderBy(x => x.d).FirstOrDefault();
            return best.k is not null && best.d <= Math.Max(2, key.Length / 3) ? $" (did you mean '{best.k}'?)" : "";
        }
    }
}
