using System.Text.Json;
using Yamnet.TfLite;

namespace Yamnet.Cli.Commands;

/// <summary>The measurements of one bench run, printed as they come (text) or at the end (json).</summary>
internal sealed class BenchReport(string model, DelegateKind kind, string clip, string probe)
{
    internal readonly List<(int Threads, Percentiles CSharp, Percentiles Native)> Latency = [];
    internal readonly List<(string Config, int Workers, int Threads, int Windows, double Wall, double Rtf)> Throughput = [];
    internal readonly List<ScalingResult> Scaling = [];
    internal string? LoadAverage;
    internal double AudioSeconds, ProbeRtf1, BytesPerWindow;
    internal long? Rss10, Rss60;
    internal (Percentiles ScoresOnly, Percentiles Extras)? ExtrasLatency;
    internal (double Classify, double Embed)? EmbedWholeFile;
    internal StartupResult? Startup;
    internal EventOverhead? Events;

    /// <summary>
    /// A figure, or null when it has none: a ratio over a CPU time under one 10 ms tick (two fast probe
    /// runs can measure 0 ms) is infinite, and JSON has no infinity (the writer threw, exit 2).
    /// </summary>
    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    internal void WriteJson(TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteString("delegate", CommonOptions.DelegateName(kind));
            w.WriteString("clip", clip);
            w.WriteString("probe", probe);
            w.WriteString("machine", BenchRunner.Machine());
            w.WriteStartArray("latency_ms");
            foreach (var (t, cs, c) in Latency)
            {
                w.WriteStartObject();
                Number(w, "threads", t);
                Number(w, "csharp_p50", cs.P50); Number(w, "csharp_p95", cs.P95); Number(w, "csharp_n", cs.N);
                Number(w, "native_p50", c.P50); Number(w, "native_p95", c.P95); Number(w, "native_n", c.N);
                Number(w, "ratio_p50", cs.P50 / c.P50);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Number(w, "audio_seconds", AudioSeconds);
            w.WriteStartArray("throughput");
            foreach (var r in Throughput)
            {
                w.WriteStartObject();
                w.WriteString("config", r.Config); Number(w, "workers", r.Workers); Number(w, "threads", r.Threads);
                Number(w, "windows", r.Windows); Number(w, "wall_seconds", r.Wall); Number(w, "realtime_factor", r.Rtf);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Number(w, "probe_single_thread_realtime_factor", ProbeRtf1);
            if (Startup is { } st)
            {
                w.WriteStartObject("startup");
                w.WriteString("build", st.Build); Number(w, "runs", st.Runs);
                Number(w, "cli_wall_ms_median", st.CliWallMs); Number(w, "probe_wall_ms_median", st.ProbeWallMs); Number(w, "wall_ratio", st.WallRatio);
                Number(w, "cli_cpu_ms_mean", st.CliCpuMs); Number(w, "probe_cpu_ms_mean", st.ProbeCpuMs); Number(w, "cpu_ratio", st.CpuRatio);
                w.WriteEndObject();
            }
            if (Events is { } ev)
            {
                w.WriteStartObject("event_overhead");
                Number(w, "windows", ev.Windows); Number(w, "events", ev.Events);
                Number(w, "classify_wall_seconds", ev.PlainWall); Number(w, "with_detector_wall_seconds", ev.EventsWall); Number(w, "wall_ratio", ev.WallRatio);
                Number(w, "detector_seconds", ev.DetectorSeconds); Number(w, "detector_fraction", ev.DetectorFraction);
                Number(w, "managed_bytes_per_window", ev.BytesPerWindow);
                w.WriteEndObject();
            }
            Number(w, "managed_bytes_per_window", BytesPerWindow);
            if (Scaling.Count > 0)
            {
                w.WriteStartArray("scaling");
                foreach (var r in Scaling)
                {
                    w.WriteStartObject();
                    w.WriteString("variant", r.Variant); Number(w, "n", r.N); Number(w, "rounds", r.Rounds);
                    Number(w, "probe_1_seconds", r.Probe1); Number(w, "probe_n_seconds", r.ProbeN); Number(w, "hardware_scaling", r.Hardware);
                    Number(w, "csharp_1_seconds", r.CSharp1); Number(w, "csharp_n_seconds", r.CSharpN); Number(w, "pool_scaling", r.Pool);
                    Number(w, "fraction_of_hardware", r.Fraction); Number(w, "fraction_min", r.FractionMin); Number(w, "fraction_max", r.FractionMax);
                    Number(w, "fraction_of_fastest_runs", r.FractionOfFastest);
                    Number(w, "fraction_of_median_times", r.FractionOfMedianTimes);
                    w.WriteStartArray("per_round");
                    foreach (var (c1, cn, s1, sn) in r.PerRound)
                    {
                        w.WriteStartObject();
                        Number(w, "probe_1_seconds", c1); Number(w, "probe_n_seconds", cn);
                        Number(w, "csharp_1_seconds", s1); Number(w, "csharp_n_seconds", sn);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteString("load_average", LoadAverage);
            }
            if (Rss10 is { } a) Number(w, "peak_rss_kb_10min", a);
            if (Rss60 is { } b) Number(w, "peak_rss_kb_60min", b);
            if (ExtrasLatency is { } x)
            {
                Number(w, "extras_scores_only_p50_ms", x.ScoresOnly.P50);
                Number(w, "extras_with_outputs_p50_ms", x.Extras.P50);
                Number(w, "extras_latency_ratio_p50", x.Extras.P50 / x.ScoresOnly.P50);
            }
            if (EmbedWholeFile is { } f)
            {
                Number(w, "classify_all_wall_seconds", f.Classify);
                Number(w, "embed_npy_wall_seconds", f.Embed);
                Number(w, "embed_speed_vs_classify", f.Classify / f.Embed);
            }
            w.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}

internal readonly record struct Percentiles(double P50, double P95, int N)
{
    /// <summary>Nearest-rank percentiles, as tflite-probe computes them.</summary>
    internal static Percentiles Of(Span<double> samples)
    {
        samples.Sort();
        return new Percentiles(Rank(samples, 0.50), Rank(samples, 0.95), samples.Length);
    }

    private static double Rank(Span<double> sorted, double p)
        => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
