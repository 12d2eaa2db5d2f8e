namespace Yamnet.Events;

/// <summary>
/// A groups file: one group per line, <c>NAME=LABEL;LABEL;…</c> (the syntax of <see cref="LabelGroup.Parse"/>),
/// blank lines and lines starting with '#' ignored. UTF-8 text.
/// </summary>
public static class LabelGroupFile
{
    /// <exception cref="FormatException">A bad line (message: <c>path:line: reason</c>), a duplicate group, or not a text file.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static List<LabelGroup> Read(string path)
    {
        var groups = new List<LabelGroup>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (number, line) in TextLines.Read(path, "groups file"))
        {
            if (TextLines.IsBlankOrComment(line)) continue;
            LabelGroup group;
            try
            {
                group = LabelGroup.Parse(line);
            }
            catch (FormatException e)
            {
                throw new FormatException($"{path}:{number}: {e.Message}");
            }
            if (!names.Add(group.Name)) throw new FormatException($"{path}:{number}: group '{group.Name}' is defined twice");
            groups.Add(group with { Source = $"{path}:{number}" });
        }
        return groups;
    }
}
