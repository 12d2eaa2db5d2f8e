using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Yamnet.Service.Configuration;

/// <summary>
/// A parsed config document reduced to maps, lists and scalars, whatever it was written in (YAML or
/// JSON), so one reader walks both and names every error by its path. YAML is read through
/// YamlDotNet's representation model (no reflection: the CLI is NativeAOT).
/// </summary>
internal abstract record ConfigNode(string Path)
{
    public static ConfigNode FromYaml(TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        if (stream.Documents.Count == 0) return new ConfigMap("", []);
        return FromYaml(stream.Documents[0].RootNode, "");
    }

    private static ConfigNode FromYaml(YamlNode node, string path) => node switch
    {
        YamlMappingNode map => new ConfigMap(path, map.Children.Select(kv =>
        {
            string key = kv.Key is YamlScalarNode k ? k.Value ?? "" : kv.Key.ToString();
            return new KeyValuePair<string, ConfigNode>(key, FromYaml(kv.Value, Join(path, key)));
        }).ToList()),
        YamlSequenceNode seq => new ConfigList(path, seq.Children.Select((c, i) => FromYaml(c, $"{path}[{i}]")).ToList()),
        YamlScalarNode scalar => new ConfigScalar(path,
            scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL" ? null : scalar.Value,
            scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted),
        _ => new ConfigScalar(path, null, false),
    };

    public static ConfigNode FromJson(JsonElement element, string path = "") => element.ValueKind switch
    {
        JsonValueKind.Object => new ConfigMap(path, element.EnumerateObject()
            .Select(p => new KeyValuePair<string, ConfigNode>(p.Name, FromJson(p.Value, Join(path, p.Name)))).ToList()),
        JsonValueKind.Array => new ConfigList(path, element.EnumerateArray().Select((e, i) => FromJson(e, $"{path}[{i}]")).ToList()),
        JsonValueKind.String => new ConfigScalar(path, element.GetString(), true),
        JsonValueKind.Null => new ConfigScalar(path, null, false),
        _ => new ConfigScalar(path, element.GetRawText(), false),
    };

    public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}

internal sealed record ConfigMap(string Path, List<KeyValuePair<string, ConfigNode>> Entries) : ConfigNode(Path);

internal sealed record ConfigList(string Path, List<ConfigNode> Items) : ConfigNode(Path);

/// <summary>A scalar; <see cref="Value"/> is null for null/~; <see cref="Quoted"/> marks a string that was quoted (never a number or bool).</summary>
internal sealed record ConfigScalar(string Path, string? Value, bool Quoted) : ConfigNode(Path);
