using System.Globalization;
using System.Text.Json;

namespace Yamnet.Evaluation;

/// <summary>
/// Writes a <see cref="SedEvaluation"/> as JSON named like sed_eval's results
/// (<c>event_based</c> / <c>segment_based</c>, each with <c>overall</c> (micro), <c>class_wise</c> and
/// <c>macro</c>, figures <c>f1, precision, recall, error_rate, substitution_rate, deletion_rate,
/// insertion_rate</c>; undefined figures are null) or as a text table.
/// </summary>
public static class SedReport
{
    public static void WriteJson(Stream output, SedEvaluation e, double collar = EventBasedMetrics.DefaultCollar, double offsetFraction = EventBasedMetrics.DefaultOffsetFraction, double resolution = SegmentBasedMetrics.DefaultResolution)
    {
        using var j = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        j.WriteStartObject();
        j.WriteStartObject("parameters");
        j.WriteNumber("t_collar", collar);
        j.WriteNumber("percentage_of_length", offsetFraction);
        j.WriteNumber("time_resolution", resolution);
        j.WriteNumber("files", e.Files.Count);
        j.WriteEndObject();
        Family(j, "event_based", e.EventBased);
        Family(j, "segment_based", e.SegmentBased);
        j.WriteEndObject();
        j.Flush();
        output.WriteByte((byte)'\n');
    }

    public static void WriteText(TextWriter w, SedEvaluation e, double collar = EventBasedMetrics.DefaultCollar, double offsetFraction = EventBasedMetrics.DefaultOffsetFraction, double resolution = SegmentBasedMetrics.DefaultResolution)
    {
        var ic = CultureInfo.InvariantCulture;
        w.Write(string.Create(ic, $"Event-based (onset collar {collar * 1000:0} ms, offset collar max({collar * 1000:0} ms, {offsetFraction * 100:0} % of length)), {e.Files.Count} file(s)\n"));
        Table(w, e.EventBased);
        w.Write(string.Create(ic, $"\nSegment-based ({resolution:0.###} s segments)\n"));
        Table(w, e.SegmentBased);
    }

    private static void Table(TextWriter w, SedResult r)
    {
        int width = Math.Max(16, r.ClassWise.Keys.Select(k => k.Length + 2).DefaultIfEmpty(0).Max());
        w.Write("  " + "".PadRight(width) + "    F1   Prec    Rec     ER   Nref   Nsys\n");
        Row(w, "overall (micro)", r.Overall, width);
        Row(w, "macro", r.Macro, width);
        foreach (var (label, m) in r.ClassWise.OrderBy(p => p.Key, StringComparer.Ordinal)) Row(w, "  " + label, m, width);
    }

    private static void Row(TextWriter w, string name, SedMetrics m, int width)
    {
        static string F(double v) => double.IsNaN(v) ? "     -" : v.ToString("0.000", CultureInfo.InvariantCulture).PadLeft(6);
        bool counts = name != "macro";
        w.Write(string.Create(CultureInfo.InvariantCulture,
            $"  {name.PadRight(width)}{F(m.F1)} {F(m.Precision)} {F(m.Recall)} {F(m.ErrorRate)} {(counts ? m.Nref.ToString("0", CultureInfo.InvariantCulture).PadLeft(6) : "     -")} {(counts ? m.Nsys.ToString("0", CultureInfo.InvariantCulture).PadLeft(6) : "     -")}\n"));
    }

    private static void Family(Utf8JsonWriter j, string name, SedResult r)
    {
        j.WriteStartObject(name);
        Metrics(j, "overall", r.Overall, counts: true);
        j.WriteStartObject("class_wise");
        foreach (var (label, m) in r.ClassWise.OrderBy(p => p.Key, StringComparer.Ordinal)) Metrics(j, label, m, counts: true);
        j.WriteEndObject();
        Metrics(j, "macro", r.Macro, counts: false);
        j.WriteEndObject();
    }

    private static void Metrics(Utf8JsonWriter j, string name, SedMetrics m, bool counts)
    {
        j.WriteStartObject(name);
        Number(j, "f1", m.F1);
        Number(j, "precision", m.Precision);
        Number(j, "recall", m.Recall);
        Number(j, "error_rate", m.ErrorRate);
        if (!double.IsNaN(m.SubstitutionRate)) Number(j, "substitution_rate", m.SubstitutionRate);
        Number(j, "deletion_rate", m.DeletionRate);
        Number(j, "insertion_rate", m.InsertionRate);
        if (counts)
        {
            j.WriteNumber("nref", m.Nref);
            j.WriteNumber("nsys", m.Nsys);
            j.WriteNumber("ntp", m.Ntp);
        }
        j.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter j, string name, double v)
    {
        if (double.IsFinite(v)) j.WriteNumber(name, v);
        else j.WriteNull(name);
    }
}
