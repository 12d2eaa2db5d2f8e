namespace Yamnet.Evaluation;

/// <summary>
/// sed_eval's event-based metrics (onset and offset evaluated). Per file, each reference event in
/// list order takes the first unmatched estimated event with the same label whose onset is within
/// <c>collar</c> of its onset and whose offset is within max(<c>collar</c>, <c>offsetFraction</c> ×
/// reference length) of its offset (true positives); leftover pairs meeting the time conditions
/// with different labels are substitutions (overall only); the remaining reference events are
/// deletions, the remaining estimated ones insertions.
/// </summary>
public static class EventBasedMetrics
{
    public const double DefaultCollar = 0.2;
    public const double DefaultOffsetFraction = 0.5;

    /// <summary>Onset condition: |reference onset − estimated onset| ≤ collar.</summary>
    public static bool OnsetMatches(in AnnotatedEvent reference, in AnnotatedEvent estimated, double collar = DefaultCollar)
        => Math.Abs(reference.Onset - estimated.Onset) <= collar;

    /// <summary>Offset condition: |reference offset − estimated offset| ≤ max(collar, fraction × reference length).</summary>
    public static bool OffsetMatches(in AnnotatedEvent reference, in AnnotatedEvent estimated, double collar = DefaultCollar, double offsetFraction = DefaultOffsetFraction)
        => Math.Abs(reference.Offset - estimated.Offset) <= Math.Max(collar, offsetFraction * (reference.Offset - reference.Onset));

    public static SedResult Evaluate(IReadOnlyList<EvaluationFile> files, IReadOnlyList<string> labels, double collar = DefaultCollar, double offsetFraction = DefaultOffsetFraction)
    {
        double nref = 0, nsys = 0, ntp = 0, nsubs = 0;
        var cref = labels.ToDictionary(l => l, _ => 0.0, StringComparer.Ordinal);
        var csys = new Dictionary<string, double>(cref, StringComparer.Ordinal);
        var ctp = new Dictionary<string, double>(cref, StringComparer.Ordinal);
        foreach (var file in files)
        {
            var r = file.Reference;
            var e = file.Estimated;
            bool Times(int j, int i) => OnsetMatches(r[j], e[i], collar) && OffsetMatches(r[j], e[i], collar, offsetFraction);
            var sysCorrect = new bool[e.Count];
            var refCorrect = new bool[r.Count];
            for (int j = 0; j < r.Count; j++)
            {
                for (int i = 0; i < e.Count; i++)
                {
                    if (sysCorrect[i] || r[j].Label != e[i].Label || !Times(j, i)) continue;
                    refCorrect[j] = sysCorrect[i] = true;
                    break;
                }
            }
            int tp = sysCorrect.Count(c => c);
            int subs = 0;
            var counted = new bool[e.Count];
            for (int j = 0; j < r.Count; j++)
            {
                if (refCorrect[j]) continue;
                for (int i = 0; i < e.Count; i++)
                {
                    if (sysCorrect[i] || counted[i] || !Times(j, i)) continue;
                    counted[i] = true;
                    subs++;
                    break;
                }
            }
            nref += r.Count;
            nsys += e.Count;
            ntp += tp;
            nsubs += subs;

            // Class-wise: the same matching restricted to one label (no substitutions).
            foreach (var ev in r) cref[ev.Label]++;
            foreach (var ev in e) csys[ev.Label]++;
            var used = new bool[e.Count];
            for (int j = 0; j < r.Count; j++)
            {
                for (int i = 0; i < e.Count; i++)
                {
                    if (used[i] || r[j].Label != e[i].Label || !Times(j, i)) continue;
                    used[i] = true;
                    ctp[r[j].Label]++;
                    break;
                }
            }
        }
        var overall = SedMetrics.FromCounts(nref, nsys, ntp, deletions: nref - ntp - nsubs, insertions: nsys - ntp - nsubs, substitutions: nsubs);
        var classWise = labels.ToDictionary(l => l, l => SedMetrics.FromCounts(cref[l], csys[l], ctp[l], cref[l] - ctp[l], csys[l] - ctp[l], null), StringComparer.Ordinal);
        return new SedResult(overall, classWise, SedMetrics.Average(labels.Select(l => classWise[l])));
    }
}
