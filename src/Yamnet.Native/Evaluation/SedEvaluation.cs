namespace Yamnet.Evaluation;

/// <summary>
/// Scores estimated events against reference events as sed_eval does: event-based (200 ms onset
/// collar, offset collar max(200 ms, 50 % of the reference length)) and segment-based (1 s
/// segments). Files are paired by name; an estimated file that names no reference file exactly is
/// paired by its base name when that is unambiguous (so <c>scenes/a.wav</c> matches <c>a.wav</c>).
/// Labels are those of either list.
/// </summary>
public sealed record SedEvaluation(SedResult EventBased, SedResult SegmentBased, IReadOnlyList<string> Labels, IReadOnlyList<string> Files)
{
    public static SedEvaluation Evaluate(DcaseEventList.Contents reference, DcaseEventList.Contents estimated,
        double collar = EventBasedMetrics.DefaultCollar, double offsetFraction = EventBasedMetrics.DefaultOffsetFraction, double resolution = SegmentBasedMetrics.DefaultResolution)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(estimated);
        var names = new List<string>(reference.Files);
        var known = new HashSet<string>(names, StringComparer.Ordinal);
        var byBase = reference.Files.GroupBy(BaseName, StringComparer.Ordinal).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var refNames = reference.Files.ToHashSet(StringComparer.Ordinal);
        string Pair(string estimatedName)
            => refNames.Contains(estimatedName) ? estimatedName
            : byBase.TryGetValue(BaseName(estimatedName), out var r) ? r
            : estimatedName;
        foreach (string f in estimated.Files)
        {
            string p = Pair(f);
            if (known.Add(p)) names.Add(p);
        }
        var refByFile = reference.Events.GroupBy(e => e.Filename, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var estByFile = estimated.Events.GroupBy(e => Pair(e.Filename), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var files = names.Select(n => new EvaluationFile(n, refByFile.GetValueOrDefault(n) ?? [], estByFile.GetValueOrDefault(n) ?? [])).ToList();
        var labels = reference.Events.Concat(estimated.Events).Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new SedEvaluation(EventBasedMetrics.Evaluate(files, labels, collar, offsetFraction), SegmentBasedMetrics.Evaluate(files, labels, resolution), labels, names);
    }

    private static string BaseName(string name) => Path.GetFileName(name);
}
