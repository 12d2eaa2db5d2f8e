using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.TfLite;

namespace Yamnet.Cli.Commands;

/// <summary>
/// <c>yamnet bench</c>: the C# path against the native floor (tflite-probe, the project's own C
/// program) in one run, with the same model, window, delegate, flags and threads; then whole-file
/// throughput for 1 and N workers; then managed bytes per window; optionally peak RSS for a 10 and a
/// 60-minute file. Figures only: nothing here passes or fails on a timing.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var wav = new Option<string?>("--wavFile") { Description = "Clip whose first window is timed and which is tiled into the long recording (default: test_data/meow_16k.wav, else ../shared/audio/meow_16k.wav)." };
        var seconds = new Option<double>("--seconds") { Description = "Seconds of timed invokes per latency measurement and side.", DefaultValueFactory = _ => 3 };
        var minutes = new Option<double>("--minutes") { Description = "Length of the generated recording for whole-file throughput.", DefaultValueFactory = _ => 5 };
        var jobs = new Option<int>("--jobs") { Description = "Workers (interpreters) for the pooled throughput run.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var probe = new Option<string?>("--probe") { Description = "Path of tflite-probe (default: beside the binary, else native/out/<rid>/ of the checkout)." };
        var rss = new Option<bool>("--rss") { Description = "Also measure the peak RSS of 'yamnet classify --windows all' on a 10 and a 60-minute file (slow)." };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        var embeddings = new Option<bool>("--embeddings") { Description = "Also measure what the extra outputs cost: per-window latency with embedding + log-mel vs scores only, and 'embed --format npy' vs 'classify --windows all' on a --minutes recording (10 by default for this)." };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of the N-core scaling comparison (C reference vs the CLI, each variant, N = 2..--jobs); 0 skips it.", DefaultValueFactory = _ => 3 };
        var command = new Command("bench", "Measure per-window latency against the native C floor, whole-file throughput, allocation and memory.");
        common.AddTo(command);
        command.Options.Add(wav);
        command.Options.Add(seconds);
        command.Options.Add(minutes);
        command.Options.Add(jobs);
        command.Options.Add(probe);
        command.Options.Add(rss);
        command.Options.Add(format);
        command.Options.Add(embeddings);
        command.Options.Add(rounds);
        command.SetAction(parse =>
        {
            double secs = parse.GetValue(seconds), mins = parse.GetValue(minutes);
            int workers = parse.GetValue(jobs), threads = parse.GetValue(common.NumThreads);
            string fmt = parse.GetValue(format) ?? "text";
            if (!(secs > 0 && secs <= 600)) throw new UsageException("--seconds must be in (0, 600].");
            if (!(mins > 0 && mins <= 240)) throw new UsageException("--minutes must be in (0, 240].");
            if (workers < 1 || workers > 64) throw new UsageException("--jobs must be in [1, 64].");
            if (fmt is not ("text" or "json")) throw new UsageException($"Unknown format '{fmt}': use text or json.");
            int scalingRounds = parse.GetValue(rounds);
            if (scalingRounds < 0 || scalingRounds > 100) throw new UsageException("--rounds must be in [0, 100].");
            string clip = FindClip(parse.GetValue(wav));
            string probePath = FindProbe(parse.GetValue(probe));

            // Validates the shared options and finds the model exactly as classify does.
            string modelPath;
            DelegateKind kind;
            using (var c = common.LoadClassifier(parse))
            {
                modelPath = c.Model.Source;
                kind = c.Options.Interpreter.Delegate;
            }
            var report = new BenchReport(modelPath, kind, clip, probePath);
            var runner = new BenchRunner(report, modelPath, kind, clip, probePath, secs, fmt == "text");
            foreach (int t in new[] { 1, threads }.Distinct()) runner.Latency(t);
            runner.Throughput(mins, workers, threads);
            if (scalingRounds > 0 && workers > 1) runner.Scaling(mins, workers, scalingRounds);
            if (parse.GetValue(rss)) runner.MeasurePeakRss(modelPath);
            if (parse.GetValue(embeddings))
            {
                var extras = new BenchEmbeddings(modelPath, new TfLiteInterpreterOptions { Threads = 1, Delegate = kind, XnnPackFlags = XnnPackFlags.Qs8 }, clip, secs,
                    line => { if (fmt == "text") Console.Out.WriteLine(line); });
                report.ExtrasLatency = extras.Latency();
                report.EmbedWholeFile = extras.WholeFile(parse.GetResult(minutes) is { Implicit: false } ? mins : 10, workers);
            }
            if (fmt == "json") report.WriteJson(Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string FindClip(string? given)
    {
        if (given is not null) return File.Exists(given) ? given : throw new UsageException($"{given}: file not found");
        foreach (string dir in AssetLocator.Ancestors(Directory.GetCurrentDirectory()).Concat(AssetLocator.Ancestors(AppContext.BaseDirectory)))
        {
            foreach (string c in new[] { Path.Combine(dir, "test_data", "meow_16k.wav"), Path.Combine(dir, "..", "shared", "audio", "meow_16k.wav") })
                if (File.Exists(c)) return Path.GetFullPath(c);
        }
        throw new UsageException("no clip found: pass --wavFile (or run ./yamnet once, which places test_data/meow_16k.wav)");
    }

    private static string FindProbe(string? given)
    {
        if (given is not null) return File.Exists(given) ? given : throw new UsageException($"{given}: tflite-probe not found");
        string rid = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var tried = new List<string> { Path.Combine(AppContext.BaseDirectory, "tflite-probe") };
        foreach (string dir in AssetLocator.Ancestors(AppContext.BaseDirectory).Concat(AssetLocator.Ancestors(Directory.GetCurrentDirectory())))
            tried.Add(Path.Combine(dir, "native", "out", rid, "tflite-probe"));
        return tried.FirstOrDefault(File.Exists)
            ?? throw new UsageException($"tflite-probe not found (looked in {tried[0]} and native/out/{rid}/ above); build it with native/build-probe.sh or pass --probe");
    }
}

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
