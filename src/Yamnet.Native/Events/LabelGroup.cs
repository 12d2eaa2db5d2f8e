namespace Yamnet.Events;

/// <summary>
/// A named set of class labels scored, window by window, as the maximum of its members' scores
/// (e.g. <c>dog=Dog;Bark;Howl;Growling;Whimper (dog)</c>). A group name can be used wherever a label
/// can: in rules, allow and deny lists. Members are separated by ';' because class labels contain
/// commas ("Narration, monologue") and never ';' or '='.
/// </summary>
public sealed record LabelGroup(string Name, IReadOnlyList<string> Members)
{
    /// <summary>Where the group was defined (e.g. <c>groups.txt:3</c>), named in errors about its members; null for code.</summary>
    public string? Source { get; init; }

    /// <summary>Parses <c>NAME=LABEL;LABEL;…</c>; spaces around names and members are ignored.</summary>
    /// <exception cref="FormatException">No '=', an empty name, no members or an empty member.</exception>
    public static LabelGroup Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int eq = text.IndexOf('=');
        if (eq < 0) throw new FormatException($"'{text}': expected NAME=LABEL;LABEL;...");
        string name = text[..eq].Trim();
        if (name.Length == 0) throw new FormatException($"'{text}': the group name is empty");
        if (name.Contains(';')) throw new FormatException($"'{text}': a group name cannot contain ';'");
        var members = text[(eq + 1)..].Split(';').Select(m => m.Trim()).ToList();
        if (members.Count == 1 && members[0].Length == 0) throw new FormatException($"group '{name}' has no members");
        if (members.Any(m => m.Length == 0)) throw new FormatException($"group '{name}' has an empty member (two ';' in a row, or a trailing ';')");
        return new LabelGroup(name, members);
    }
}
