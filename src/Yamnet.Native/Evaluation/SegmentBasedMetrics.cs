namespace Yamnet.Evaluation;

/// <summary>
/// sed_eval's segment-based metrics: each file is cut into segments of <c>resolution</c> seconds
/// (<c>ceil(max offset / resolution)</c> of them, the shorter of the two lists padded); an event
/// makes its label active in segments floor(onset/res) to ceil(offset/res) − 1. Per segment:
/// true positives are labels active in both, S = min(Nref, Nsys) − Ntp, D = max(0, Nref − Nsys),
/// I = max(0, Nsys − Nref) (overall); class-wise, false negatives are deletions and false positives
/// insertions.
/// </summary>
public static class SegmentBasedMetrics
{
    public const double DefaultResolution = 1.0;

    public static SedResult Evaluate(IReadOnlyList<EvaluationFile> files, IReadOnlyList<string> labels, double resolution = DefaultResolution)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resolution);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < labels.Count; k++) index[labels[k]] = k;
        int L = labels.Count;
        double nref = 0, nsys = 0, ntp = 0, s = 0, d = 0, ins = 0;
        var cref = new double[L];
        var csys = new double[L];
        var ctp = new double[L];
        var cfp = new double[L];
        var cfn = new double[L];
        foreach (var file in files)
        {
            var refRoll = Roll(file.Reference, index, resolution);
            var sysRoll = Roll(file.Estimated, index, resolution);
            int segments = Math.Max(refRoll.GetLength(0), sysRoll.GetLength(0));
            for (int t = 0; t < segments; t++)
            {
                int sr = 0, ss = 0, stp = 0;
                for (int c = 0; c < L; c++)
                {
                    bool a = t < refRoll.GetLength(0) && refRoll[t, c];
                    bool b = t < sysRoll.GetLength(0) && sysRoll[t, c];
                    if (a) { sr++; cref[c]++; }
                    if (b) { ss++; csys[c]++; }
                    if (a && b) { stp++; ctp[c]++; }
                    else if (b) cfp[c]++;
                    else if (a) cfn[c]++;
                }
                nref += sr;
                nsys += ss;
                ntp += stp;
                s += Math.Min(sr, ss) - stp;
                d += Math.Max(0, sr - ss);
                ins += Math.Max(0, ss - sr);
            }
        }
        var overall = SedMetrics.FromCounts(nref, nsys, ntp, d, ins, s);
        var classWise = new Dictionary<string, SedMetrics>(StringComparer.Ordinal);
        for (int c = 0; c < L; c++) classWise[labels[c]] = SedMetrics.FromCounts(cref[c], csys[c], ctp[c], cfn[c], cfp[c], null);
        return new SedResult(overall, classWise, SedMetrics.Average(labels.Select(l => classWise[l])));
    }

    private static bool[,] Roll(IReadOnlyList<AnnotatedEvent> events, Dictionary<string, int> index, double resolution)
    {
        double maxOffset = events.Count == 0 ? 0 : events.Max(e => e.Offset);
        var roll = new bool[(int)Math.Ceiling(maxOffset * 1 / resolution), index.Count];
        foreach (var e in events)
        {
            int from = (int)Math.Floor(e.Onset * 1 / resolution);
            int to = Math.Min((int)Math.Ceiling(e.Offset * 1 / resolution), roll.GetLength(0));
            for (int t = from; t < to; t++) roll[t, index[e.Label]] = true;
        }
        return roll;
    }
}
