namespace Yamnet.Events;

/// <summary>
/// A thresholds (rules) file: one label or group per line, tab-separated because labels contain
/// commas: <c>LABEL⇥ON[⇥OFF[⇥MIN_DURATION[⇥MERGE_GAP[⇥MEDIAN]]]]</c>; a field that is empty or
/// <c>-</c> keeps the default. Blank lines, '#' comments and a header line starting with
/// <c>label⇥</c> are ignored. UTF-8 text.
/// </summary>
public static class EventRuleFile
{
    /// <exception cref="FormatException">A bad line (message: <c>path:line: reason</c>), a label given twice, or not a text file.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static List<EventRuleOverride> Read(string path)
    {
        var rules = new List<EventRuleOverride>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (number, line) in TextLines.Read(path, "thresholds file"))
        {
            if (TextLines.IsBlankOrComment(line)) continue;
            var fields = line.Split('\t');
            if (number == 1 && fields[0].Trim().Equals("label", StringComparison.OrdinalIgnoreCase)) continue;
            try
            {
                var rule = ParseLine(fields);
                if (!seen.Add(rule.Label)) throw new FormatException($"'{rule.Label}' is given twice");
                rules.Add(rule);
            }
            catch (FormatException e)
            {
                throw new FormatException($"{path}:{number}: {e.Message}");
            }
        }
        return rules;
    }

    private static EventRuleOverride ParseLine(string[] fields)
    {
        string label = fields[0].Trim();
        if (label.Length == 0) throw new FormatException("the label is empty");
        if (fields.Length < 2) throw new FormatException($"'{label}': expected LABEL<TAB>ON[<TAB>OFF[<TAB>MIN_DURATION[<TAB>MERGE_GAP[<TAB>MEDIAN]]]] (tab-separated)");
        if (fields.Length > 6) throw new FormatException($"'{label}': {fields.Length} fields, at most 6 (label, on, off, min_duration, merge_gap, median)");
        string? Field(int i) => i < fields.Length && fields[i].Trim() is { Length: > 0 } f && f != "-" ? f : null;
        float? on = Field(1) is { } a ? EventRuleOverride.ParseScore(a, label) : null;
        float? off = Field(2) is { } b ? EventRuleOverride.ParseScore(b, label) : null;
        double? min = Field(3) is { } c ? ParseSeconds(c, label, "minimum duration") : null;
        double? gap = Field(4) is { } d ? ParseSeconds(d, label, "merge gap") : null;
        int? median = null;
        if (Field(5) is { } e)
        {
            if (!int.TryParse(e, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int k))
                throw new FormatException($"'{label}': median '{e}' is not a whole number of windows");
            median = k;
        }
        return new EventRuleOverride(label, on, off, min, gap, median);
    }

    private static double ParseSeconds(string text, string label, string what)
    {
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value))
            throw new FormatException($"'{label}': {what} '{text}' is not a number of seconds");
        return value;
    }
}
