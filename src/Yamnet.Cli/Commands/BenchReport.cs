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
                w.WriteNumber("threads", t);
                w.WriteNumber("csharp_p50", cs.P50); w.WriteNumber("csharp_p95", cs.P95); w.WriteNumber("csharp_n", cs.N);
                w.WriteNumber("native_p50", c.P50); w.WriteNumber("native_p95", c.P95); w.WriteNumber("native_n", c.N);
                w.WriteNumber("ratio_p50", cs.P50 / c.P50);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("audio_seconds", AudioSeconds);
            w.WriteStartArray("throughput");
            foreach (var r in Throughput)
            {
                w.WriteStartObject();
                w.WriteString("config", r.Config); w.WriteNumber("workers", r.Workers); w.WriteNumber("threads", r.Threads);
                w.WriteNumber("windows", r.Windows); w.WriteNumber("wall_seconds", r.Wall); w.WriteNumber("realtime_factor", r.Rtf);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("probe_single_thread_realtime_factor", ProbeRtf1);
            if (Startup is { } st)
            {
                w.WriteStartObject("startup");
                w.WriteString("build", st.Build); w.WriteNumber("runs", st.Runs);
                w.WriteNumber("cli_wall_ms_median", st.CliWallMs); w.WriteNumber("probe_wall_ms_median", st.ProbeWallMs); w.WriteNumber("wall_ratio", st.WallRatio);
                w.WriteNumber("cli_cpu_ms_mean", st.CliCpuMs); w.WriteNumber("probe_cpu_ms_mean", st.ProbeCpuMs); w.WriteNumber("cpu_ratio", st.CpuRatio);
                w.WriteEndObject();
            }
            if (Events is { } ev)
            {
                w.WriteStartObject("event_overhead");
                w.WriteNumber("windows", ev.Windows); w.WriteNumber("events", ev.Events);
                w.WriteNumber("classify_wall_seconds", ev.PlainWall); w.WriteNumber("with_detector_wall_seconds", ev.EventsWall); w.WriteNumber("wall_ratio", ev.WallRatio);
                w.WriteNumber("detector_seconds", ev.DetectorSeconds); w.WriteNumber("detector_fraction", ev.DetectorFraction);
                w.WriteNumber("managed_bytes_per_window", ev.BytesPerWindow);
                w.WriteEndObject();
            }
            w.WriteNumber("managed_bytes_per_window", BytesPerWindow);
            if (Scaling.Count > 0)
            {
                w.WriteStartArray("scaling");
                foreach (var r in Scaling)
                {
                    w.WriteStartObject();
                    w.WriteString("variant", r.Variant); w.WriteNumber("n", r.N); w.WriteNumber("rounds", r.Rounds);
                    w.WriteNumber("probe_1_seconds", r.Probe1); w.WriteNumber("probe_n_seconds", r.ProbeN); w.WriteNumber("hardware_scaling", r.Hardware);
                    w.WriteNumber("csharp_1_seconds", r.CSharp1); w.WriteNumber("csharp_n_seconds", r.CSharpN); w.WriteNumber("pool_scaling", r.Pool);
                    w.WriteNumber("fraction_of_hardware", r.Fraction); w.WriteNumber("fraction_min", r.FractionMin); w.WriteNumber("fraction_max", r.FractionMax);
                    w.WriteNumber("fraction_of_fastest_runs", r.FractionOfFastest);
                    w.WriteNumber("fraction_of_median_times", r.FractionOfMedianTimes);
                    w.WriteStartArray("per_round");
                    foreach (var (c1, cn, s1, sn) in r.PerRound)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("probe_1_seconds", c1); w.WriteNumber("probe_n_seconds", cn);
                        w.WriteNumber("csharp_1_seconds", s1); w.WriteNumber("csharp_n_seconds", sn);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteString("load_average", LoadAverage);
            }
            if (Rss10 is { } a) w.WriteNumber("peak_rss_kb_10min", a);
            if (Rss60 is { } b) w.WriteNumber("peak_rss_kb_60min", b);
            if (ExtrasLatency is { } x)
            {
                w.WriteNumber("extras_scores_only_p50_ms", x.ScoresOnly.P50);
                w.WriteNumber("extras_with_outputs_p50_ms", x.Extras.P50);
                w.WriteNumber("extras_latency_ratio_p50", x.Extras.P50 / x.ScoresOnly.P50);
            }
            if (EmbedWholeFile is { } f)
            {
                w.WriteNumber("classify_all_wall_seconds", f.Classify);
                w.WriteNumber("embed_npy_wall_seconds", f.Embed);
                w.WriteNumber("embed_speed_vs_classify", f.Classify / f.Embed);
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
