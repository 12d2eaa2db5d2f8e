using System.CommandLine;
using System.Globalization;
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
        var startupRuns = new Option<int>("--startup-runs") { Description = "Runs of the seed command and of the C probe for the start-up ratio; 0 skips it.", DefaultValueFactory = _ => 20 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of the N-core scaling comparison (C reference vs the CLI, each variant, N = 2..--jobs); 0 skips it.", DefaultValueFactory = _ => 3 };
        var isolation = new Option<bool>("--isolation") { Description = "Instead of the inference figures: the unknown-model trial's cost (C probe and re-exec children, cache off; cached) and resumable mode's skip check per input (BenchTrial, BenchResume)." };
        var isolationInputs = new Option<int>("--isolation-inputs") { Description = "Inputs, all with results present, for the --isolation skip check.", DefaultValueFactory = _ => 10_000 };
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
        command.Options.Add(startupRuns);
        command.Options.Add(isolation);
        command.Options.Add(isolationInputs);
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
            int startups = parse.GetValue(startupRuns);
            if (startups < 0 || startups > 1000) throw new UsageException("--startup-runs must be in [0, 1000].");
            string clip = FindClip(parse.GetValue(wav));
            if (parse.GetValue(isolation)) return BenchIsolation.Run(common, parse, clip, parse.GetValue(isolationInputs), fmt);
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
            var runner = new BenchRunner(report, modelPath, kind, clip, probePath, secs, fmt == "text") { WeightsCache = parse.GetValue(common.WeightsCache)!.ToLowerInvariant() };
            foreach (int t in new[] { 1, threads }.Distinct()) runner.Latency(t);
            if (startups > 0) report.Startup = new BenchStartup(modelPath, clip, probePath, runner.Say).Measure(startups);
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
