using Yamnet.Text;

namespace Yamnet.Events;

/// <summary>
/// Class labels by name, with "did you mean" suggestions for an unknown one, so a typo in a rule,
/// group or filter names the closest labels instead of silently matching nothing.
/// </summary>
internal sealed class LabelIndex
{
    private readonly IReadOnlyList<string> _names;
    private readonly Dictionary<string, List<int>> _byName = new(StringComparer.Ordinal);

    public LabelIndex(IReadOnlyList<string> names)
    {
        _names = names;
        for (int i = 0; i < names.Count; i++)
        {
            if (!_byName.TryGetValue(names[i], out var list)) _byName[names[i]] = list = [];
            list.Add(i);
        }
    }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public bool TryGet(string name, out List<int> indices) => _byName.TryGetValue(name, out indices!);

    /// <summary>The message for an unknown <paramref name="name"/>: it, and up to three closest known names.</summary>
    public string Unknown(string name, string where, IEnumerable<string>? extraNames = null)
    {
        var candidates = _names.Concat(extraNames ?? []).Distinct(StringComparer.Ordinal);
        var closest = Closest(name, candidates, 3);
        string hint = closest.Count > 0 ? "; did you mean " + string.Join(", ", closest.Select(c => $"'{c}'")) + "?" : "";
        return $"unknown label '{name}' in {where}{hint}";
    }

    /// <summary>The <paramref name="count"/> names closest to <paramref name="name"/> (case-insensitive edit distance; substring matches first).</summary>
    public static List<string> Closest(string name, IEnumerable<string> candidates, int count)
    {
        string n = name.ToLowerInvariant();
        return candidates
            .Select(c => (Name: c, Score: Score(n, c.ToLowerInvariant())))
            .Where(x => x.Score <= Math.Max(3, n.Length / 2))
            .OrderBy(x => x.Score).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(count).Select(x => x.Name).ToList();

        static double Score(string a, string b)
        {
            if (a == b) return 0;
            if (b.Contains(a) || a.Contains(b)) return 1 + Math.Abs(a.Length - b.Length) / 4.0;
            return EditDistance.Between(a, b) + 1;
        }
    }
}
