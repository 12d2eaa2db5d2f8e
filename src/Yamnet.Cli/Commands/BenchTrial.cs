using System.Diagnostics;
using Yamnet.Isolation;
using Yamnet.TfLite;

namespace Yamnet.Cli.Commands;

/// <summary>
/// <c>yamnet bench --isolation</c>, part 1: what the unknown-model trial costs (issue 14: under 100 ms
/// once per new model, then cached, nothing per file). The model is the given one with 16 bytes
/// appended (same graph, a SHA-256 no list knows), so every uncached check really starts a child.
/// Three figures: the C probe child with the cache off, the re-executed CLI child with the cache off
/// (this binary: NativeAOT when published), and the cached check (what every later run pays, once
/// per model load). Wall times, min and median of <c>runs</c>: the machine may be loaded.
/// </summary>
internal sealed class BenchTrial(string model, TfLiteInterpreterOptions interpreter, Action<string> say)
{
    internal sealed record Figures(double ProbeMinMs, double ProbeMedianMs, double ReexecMinMs, double ReexecMedianMs, double CachedMeanMs, int Runs, int CachedRuns, string? Probe);

    internal Figures Measure(int runs, int cachedRuns)
    {
        var dir = Directory.CreateTempSubdirectory("yamnet-bench-trial-");
        try
        {
            string unknown = Path.Combine(dir.FullName, "unknown.tflite");
            File.WriteAllBytes(unknown, [.. File.ReadAllBytes(model), .. new byte[16]]);
            string? probe = ModelTrialOptions.BundledProbePath();
            var noCache = new ModelTrialOptions { Interpreter = interpreter, CacheDirectory = null };
            var (probeMin, probeMedian) = probe is null ? (double.NaN, double.NaN) : Time(runs, () => ModelTrial.Check(unknown, noCache with { ProbePath = probe }), "tflite-probe");
            var (reexecMin, reexecMedian) = Time(runs, () => ModelTrial.Check(unknown, noCache with { ChildCommand = ModelTrialCommand.SelfCommand() }), null);

            var cached = noCache with { ProbePath = probe, ChildCommand = ModelTrialCommand.SelfCommand(), CacheDirectory = Path.Combine(dir.FullName, "cache") };
            Require(!ModelTrial.Check(unknown, cached).FromCache);
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < cachedRuns; i++) Require(ModelTrial.Check(unknown, cached).FromCache);
            double cachedMean = clock.Elapsed.TotalMilliseconds / cachedRuns;

            var f = new Figures(probeMin, probeMedian, reexecMin, reexecMedian, cachedMean, runs, cachedRuns, probe);
            say($"\nunknown-model trial ({Path.GetFileName(model)} + 16 bytes, {interpreter.Delegate}, TFLite {TfLiteRuntime.Version}; wall ms, {runs} runs each, cache off):\n" +
                $"  child tflite-probe --trial    min {probeMin,7:0.0}   median {probeMedian,7:0.0}{(probe is null ? "   (no probe found)" : "")}\n" +
                $"  child {Path.GetFileName(Environment.ProcessPath ?? "yamnet")} __model-trial    min {reexecMin,7:0.0}   median {reexecMedian,7:0.0}   (re-exec of this binary)\n" +
                $"  cached verdict                mean {cachedMean,7:0.000} over {cachedRuns} checks (once per model load; nothing per file)");
            return f;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void Require(bool premise)
    {
        if (!premise) throw new InvalidOperationException("the model-trial cache did not behave as measured");
    }

    private static (double Min, double Median) Time(int runs, Func<ModelVerdict> check, string? expectedSource)
    {
        var times = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            var verdict = check();
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (verdict.FromCache || verdict.Kind != ModelVerdictKind.Ran || (expectedSource is not null && verdict.Source != expectedSource))
                throw new InvalidOperationException($"the trial did not run as measured: {verdict}");
        }
        times.Sort();
        return (times[0], times[times.Count / 2]);
    }
}
