namespace Yamnet.Evaluation;

/// <summary>
/// One set of sed_eval figures (overall, one class, or the class-wise average). As in sed_eval:
/// precision = Ntp/Nsys and recall = Ntp/Nref (NaN when the count is 0), F1 = 2PR/(P+R) (0 when both
/// are 0), rates = count/(Nref + ε) with ε = 2⁻⁵², error rate = substitution + deletion + insertion
/// rates. NaN is "undefined" (JSON null).
/// </summary>
public sealed record SedMetrics(double F1, double Precision, double Recall, double ErrorRate, double SubstitutionRate, double DeletionRate, double InsertionRate)
{
    /// <summary>Reference, system and true-positive counts (events or active segments); 0 for an average.</summary>
    public double Nref { get; init; }

    public double Nsys { get; init; }

    public double Ntp { get; init; }

    internal const double Eps = 2.220446049250313e-16; // numpy.spacing(1)

    /// <summary>The figures from counts; <paramref name="substitutions"/> null for class-wise figures (no substitution term).</summary>
    internal static SedMetrics FromCounts(double nref, double nsys, double ntp, double deletions, double insertions, double? substitutions)
    {
        double p = nsys == 0 ? double.NaN : ntp / nsys;
        double r = nref == 0 ? double.NaN : ntp / nref;
        double f = p == 0 && r == 0 ? 0 : 2 * p * r / (p + r);
        double s = substitutions is { } sv ? sv / (nref + Eps) : double.NaN;
        double d = deletions / (nref + Eps);
        double i = insertions / (nref + Eps);
        double er = (double.IsNaN(s) ? 0 : s) + d + i;
        return new SedMetrics(f, p, r, er, s, d, i) { Nref = nref, Nsys = nsys, Ntp = ntp };
    }

    /// <summary>sed_eval's class-wise average: the mean over classes of each figure, ignoring NaN.</summary>
    internal static SedMetrics Average(IEnumerable<SedMetrics> classes)
    {
        var list = classes.ToList();
        static double NanMean(IEnumerable<double> values)
        {
            var defined = values.Where(v => !double.IsNaN(v)).ToList();
            return defined.Count == 0 ? double.NaN : defined.Average();
        }
        return new SedMetrics(NanMean(list.Select(m => m.F1)), NanMean(list.Select(m => m.Precision)), NanMean(list.Select(m => m.Recall)),
            NanMean(list.Select(m => m.ErrorRate)), double.NaN, NanMean(list.Select(m => m.DeletionRate)), NanMean(list.Select(m => m.InsertionRate)));
    }
}
