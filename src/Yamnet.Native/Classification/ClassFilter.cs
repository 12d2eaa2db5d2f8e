namespace Yamnet.Classification;

/// <summary>
/// An allow list or a deny list of class labels, as the TFLite Task Library's
/// category_name_allowlist / denylist (which are mutually exclusive there too).
/// Resolved to a bitmap once, so checking a class costs an array read.
/// </summary>
public sealed class ClassFilter
{
    private readonly bool[] _admitted;

    private ClassFilter(bool[] admitted) => _admitted = admitted;

    public bool Admits(int index) => (uint)index < (uint)_admitted.Length && _admitted[index];

    /// <summary>Builds a filter; labels are matched exactly (case-sensitive, like the Task Library), and an unknown label is an error.</summary>
    public static ClassFilter? Create(ClassLabels labels, IReadOnlyCollection<string>? allow, IReadOnlyCollection<string>? deny)
    {
        bool hasAllow = allow is { Count: > 0 }, hasDeny = deny is { Count: > 0 };
        if (hasAllow && hasDeny) throw new ArgumentException("--allow and --deny are mutually exclusive");
        if (!hasAllow && !hasDeny) return null;
        var byName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < labels.Count; i++)
        {
            string name = labels.NameOf(i);
            if (!byName.TryGetValue(name, out var list)) byName[name] = list = [];
            list.Add(i);
        }
        var admitted = new bool[labels.Count];
        if (hasDeny) Array.Fill(admitted, true);
        foreach (string label in (hasAllow ? allow : deny)!)
        {
            if (!byName.TryGetValue(label, out var indices))
                throw new ArgumentException($"unknown label '{label}' (labels come from {labels.Source})");
            foreach (int i in indices) admitted[i] = hasAllow;
        }
        return new ClassFilter(admitted);
    }
}
