using System.Diagnostics;
using Yamnet.Audio;
using Yamnet.Classification;

namespace Yamnet.Cli.Commands;

/// <summary>
/// Whole-file throughput in the bench process: real-time factor of a <see cref="WindowPipeline"/>
/// over a generated recording for 1 worker, N workers and 1 worker with N threads; managed bytes
/// per window in steady state; then the event-detection overhead (<see cref="BenchEvents"/>).
/// </summary>
internal sealed class BenchThroughput(BenchRunner runner, BenchReport report, string model, Action<string> say)
{
    /// <summary>Real-time factor (audio seconds per wall second) over a generated recording, for 1 worker, N workers and 1 worker with N threads.</summary>
    internal void Measure(double minutes, int workers, int threads)
    {
        string dir = Directory.CreateTempSubdirectory("yamnet-bench-").FullName;
        try
        {
            string longFile = Path.Combine(dir, "long.wav"), shortFile = Path.Combine(dir, "short.wav");
            long longSamples = runner.WriteTiled(longFile, minutes * 60);
            long shortSamples = runner.WriteTiled(shortFile, minutes * 12);
            report.AudioSeconds = longSamples / 16000.0;
            int hop = 7800;
            var p1 = report.Latency.First(l => l.Threads == 1).Native;
            report.ProbeRtf1 = hop / 16000.0 / (p1.P50 / 1000);
            say($"\nwhole-file throughput, {report.AudioSeconds / 60:0.#}-minute recording (decode + frame + infer, hop {hop}):\n  config              windows   wall s   real-time factor   vs 1x1");
            var configs = new List<(int W, int T)> { (1, 1), (workers, 1) };
            if (threads > 1) configs.Add((1, threads));
            // More spinning XNNPACK threads than cores collapses throughput (measured 80-fold for 2 x 2 on
            // 2 cores, docs/PERFORMANCE.md); timing it again costs minutes and says nothing new.
            if (workers > 1 && threads > 1 && workers * threads <= Environment.ProcessorCount) configs.Add((workers, threads));
            else if (workers > 1 && threads > 1) say($"  ({workers} worker(s) x {threads} thread(s) skipped: more busy threads than the {Environment.ProcessorCount} cores)");
            double baseRtf = 0;
            foreach (var (w, t) in configs.Distinct())
            {
                using var classifier = AudioClassifier.Load(model, runner.Options(t));
                var pipeline = new WindowPipeline(classifier, w);
                Analyze(pipeline, shortFile); // warm-up: JIT, sessions, threads
                var (windows, wall, bytes) = Analyze(pipeline, longFile);
                double rtf = report.AudioSeconds / wall;
                if (baseRtf == 0) baseRtf = rtf;
                string name = $"{w} worker(s) x {t} thread(s)";
                report.Throughput.Add((name, w, t, windows, wall, rtf));
                say($"  {name,-18} {windows,8} {wall,8:0.00} {rtf,18:0.0} {rtf / baseRtf,8:0.00}x");
                if (w == workers && t == 1)
                {
                    // Steady state: the difference between a long and a short run cancels fixed costs.
                    var (shortWindows, _, shortBytes) = Analyze(pipeline, shortFile);
                    report.BytesPerWindow = (bytes - shortBytes) / (double)(windows - shortWindows);
                }
            }
            say($"  probe, 1 thread: {report.ProbeRtf1:0.0}x real time from its p50 ({p1.P50:0.000} ms per {hop}-sample hop); 2 x 0.9 x that = {2 * 0.9 * report.ProbeRtf1:0.0}");
            say($"\nmanaged bytes allocated per window, steady state ({workers} workers): {report.BytesPerWindow:0.##}");
            report.Events = new BenchEvents(model, runner.Options(1).Interpreter, say).Measure(shortFile, longFile, workers);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (int Windows, double Wall, long Bytes) Analyze(WindowPipeline pipeline, string file)
    {
        long bytes0 = GC.GetTotalAllocatedBytes(precise: true);
        long t0 = Stopwatch.GetTimestamp();
        using var reader = AudioReader.Open(file, 16000);
        var stats = pipeline.Analyze(reader, 7800, static (in AudioWindow w, ReadOnlySpan<float> s) => { });
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return (stats.Windows, wall, GC.GetTotalAllocatedBytes(precise: true) - bytes0);
    }

}
