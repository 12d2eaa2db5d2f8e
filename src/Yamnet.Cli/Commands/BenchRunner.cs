using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.TfLite;

namespace Yamnet.Cli.Commands;

/// <summary>The measurements behind <see cref="BenchCommand"/>.</summary>
internal sealed class BenchRunner(BenchReport report, string model, DelegateKind kind, string clip, string probe, double seconds, bool text)
{
    private const int Rounds = 3;

    /// <summary>--xnnpackWeightsCache for the CLI runs of the scaling comparison (on/off; TFLite 2.19 only).</summary>
    internal string WeightsCache { get; init; } = "on";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Same first window, same threads and delegate, timed per invoke on both sides. The sides
    /// alternate over three rounds so that drift in machine load hits both alike.
    /// </summary>
    internal void Latency(int threads)
    {
        if (report.Latency.Count == 0) Say($"machine: {Machine()}\nmodel: {model}, delegate {CommonOptions.DelegateName(kind)}, clip {clip}\nprobe: {probe} (on the TFLite in {BenchProbe.LibraryDirectory()})\n\nper-window latency (ms), C# session vs tflite-probe (native C), {Rounds} alternating rounds of {seconds / Rounds:0.#} s each:\n  threads   C# p50   C# p95    C p50    C p95   ratio p50 (C#/C)");
        using var classifier = AudioClassifier.Load(model, Options(threads));
        using var session = classifier.CreateSession();
        FirstWindow(classifier, session.Input);
        var samples = new double[200_000];
        int n = 0;
        var nativeP50 = new List<double>();
        var nativeP95 = new List<double>();
        int nativeN = 0;
        for (int round = 0; round < Rounds; round++)
        {
            for (int i = 0; i < 20; i++) session.Run(); // warm-up, as the probe's --warmup
            long end = Stopwatch.GetTimestamp() + (long)(seconds / Rounds * Stopwatch.Frequency);
            int roundStart = n;
            while (n < samples.Length && Stopwatch.GetTimestamp() < end)
            {
                long t0 = Stopwatch.GetTimestamp();
                session.Run();
                samples[n++] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
            var native = RunProbe(threads, Math.Max(n - roundStart, 50));
            nativeP50.Add(native.P50);
            nativeP95.Add(native.P95);
            nativeN += native.N;
        }
        var cs = Percentiles.Of(samples.AsSpan(0, n));
        nativeP50.Sort();
        nativeP95.Sort();
        var c = new Percentiles(nativeP50[Rounds / 2], nativeP95[Rounds / 2], nativeN);
        report.Latency.Add((threads, cs, c));
        Say($"  {threads,7} {cs.P50,8:0.000} {cs.P95,8:0.000} {c.P50,8:0.000} {c.P95,8:0.000}   {cs.P50 / c.P50,9:0.000}");
    }

    /// <summary>Real-time factor (audio seconds per wall second) over a generated recording, for 1 worker, N workers and 1 worker with N threads.</summary>
    internal void Throughput(double minutes, int workers, int threads)
    {
        string dir = Directory.CreateTempSubdirectory("yamnet-bench-").FullName;
        try
        {
            string longFile = Path.Combine(dir, "long.wav"), shortFile = Path.Combine(dir, "short.wav");
            long longSamples = WriteTiled(longFile, minutes * 60);
            long shortSamples = WriteTiled(shortFile, minutes * 12);
            report.AudioSeconds = longSamples / 16000.0;
            int hop = 7800;
            var p1 = report.Latency.First(l => l.Threads == 1).Native;
            report.ProbeRtf1 = hop / 16000.0 / (p1.P50 / 1000);
            Say($"\nwhole-file throughput, {report.AudioSeconds / 60:0.#}-minute recording (decode + frame + infer, hop {hop}):\n  config              windows   wall s   real-time factor   vs 1x1");
            var configs = new List<(int W, int T)> { (1, 1), (workers, 1) };
            if (threads > 1) configs.Add((1, threads));
            // More spinning XNNPACK threads than cores collapses throughput (measured 80-fold for 2 x 2 on
            // 2 cores, docs/PERFORMANCE.md); timing it again costs minutes and says nothing new.
            if (workers > 1 && threads > 1 && workers * threads <= Environment.ProcessorCount) configs.Add((workers, threads));
            else if (workers > 1 && threads > 1) Say($"  ({workers} worker(s) x {threads} thread(s) skipped: more busy threads than the {Environment.ProcessorCount} cores)");
            double baseRtf = 0;
            foreach (var (w, t) in configs.Distinct())
            {
                using var classifier = AudioClassifier.Load(model, Options(t));
                var pipeline = new WindowPipeline(classifier, w);
                Analyze(pipeline, shortFile); // warm-up: JIT, sessions, threads
                var (windows, wall, bytes) = Analyze(pipeline, longFile);
                double rtf = report.AudioSeconds / wall;
                if (baseRtf == 0) baseRtf = rtf;
                string name = $"{w} worker(s) x {t} thread(s)";
                report.Throughput.Add((name, w, t, windows, wall, rtf));
                Say($"  {name,-18} {windows,8} {wall,8:0.00} {rtf,18:0.0} {rtf / baseRtf,8:0.00}x");
                if (w == workers && t == 1)
                {
                    // Steady state: the difference between a long and a short run cancels fixed costs.
                    var (shortWindows, _, shortBytes) = Analyze(pipeline, shortFile);
                    report.BytesPerWindow = (bytes - shortBytes) / (double)(windows - shortWindows);
                }
            }
            Say($"  probe, 1 thread: {report.ProbeRtf1:0.0}x real time from its p50 ({p1.P50:0.000} ms per {hop}-sample hop); 2 x 0.9 x that = {2 * 0.9 * report.ProbeRtf1:0.0}");
            Say($"\nmanaged bytes allocated per window, steady state ({workers} workers): {report.BytesPerWindow:0.##}");
            report.Events = new BenchEvents(model, Options(1).Interpreter, Say).Measure(shortFile, longFile, workers);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The pool's N-core scaling as a fraction of the machine's own (see <see cref="BenchScaling"/>), on a recording of <paramref name="minutes"/>.</summary>
    internal void Scaling(double minutes, int workers, int rounds)
    {
        string dir = Directory.CreateTempSubdirectory("yamnet-scaling-").FullName;
        try
        {
            string file = Path.Combine(dir, "long.wav");
            WriteTiled(file, minutes * 60);
            new BenchScaling(report, model, kind, probe, WeightsCache, Say).Measure(file, workers, rounds);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Peak RSS of a child 'yamnet classify --windows all' on a 10 and a 60-minute file (the child reports its own VmHWM).</summary>
    internal void MeasurePeakRss(string modelPath)
    {
        string dir = Directory.CreateTempSubdirectory("yamnet-rss-").FullName;
        try
        {
            Say("\npeak RSS of 'yamnet classify --windows all --format csv' (output discarded):");
            foreach (int m in new[] { 10, 60 })
            {
                string file = Path.Combine(dir, $"{m}min.wav");
                WriteTiled(file, m * 60);
                long kb = ChildPeakRss(modelPath, file);
                if (m == 10) report.Rss10 = kb; else report.Rss60 = kb;
                File.Delete(file);
                Say($"  {m,2}-minute file: {kb / 1024.0:0.0} MiB");
            }
            if (report.Rss10 is { } a && report.Rss60 is { } b) Say($"  60 / 10 minutes: {b / (double)a:0.000}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    internal static string Machine()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }
        return $"{cpu}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, TFLite {TfLiteRuntime.Version}";
    }

    private AudioClassifierOptions Options(int threads) => new()
    {
        Interpreter = new TfLiteInterpreterOptions { Threads = threads, Delegate = kind, XnnPackFlags = XnnPackFlags.Qs8 },
    };

    private void FirstWindow(AudioClassifier classifier, Span<float> input)
    {
        using var reader = AudioReader.Open(clip, classifier.SampleRate);
        new WindowFramer(reader, classifier.WindowLength, classifier.WindowLength).TryWriteNext(input, out _);
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

    /// <summary>Writes the clip tiled to <paramref name="seconds"/> as 16 kHz mono 16-bit WAV, in blocks (constant memory).</summary>
    private long WriteTiled(string path, double seconds)
    {
        using var reader = AudioReader.Open(clip, 16000);
        var clipSamples = reader.ReadAll();
        var block = new short[clipSamples.Length];
        for (int i = 0; i < block.Length; i++) block[i] = (short)Math.Clamp(MathF.Round(clipSamples[i] * 32768f), short.MinValue, short.MaxValue);
        long total = (long)(seconds * 16000);
        using var writer = AudioFileWriter.Create(path, AudioContainer.Wav, AudioEncoding.Pcm16, 16000, 1);
        for (long done = 0; done < total; done += block.Length)
            writer.WriteFrames(block.AsSpan(0, (int)Math.Min(block.Length, total - done)));
        return total;
    }

    private Percentiles RunProbe(int threads, int iterations)
    {
        var psi = BenchProbe.StartInfo(probe, ["--model", model, "--wav", clip, "--threads", threads.ToString(Inv), "--delegate", kind == DelegateKind.XnnPack ? "xnnpack" : "none",
            "--xnnpack-flags", "1", "--iterations", iterations.ToString(Inv), "--warmup", "20", "--format", "json"]);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + probe);
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"tflite-probe exited {p.ExitCode}: {stderr.Result.Trim()}");
        using var doc = JsonDocument.Parse(stdout);
        var lat = doc.RootElement.GetProperty("latency_ms");
        return new Percentiles(lat.GetProperty("p50").GetDouble(), lat.GetProperty("p95").GetDouble(), lat.GetProperty("n").GetInt32());
    }

    private long ChildPeakRss(string modelPath, string file)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "yamnet.dll"));
        foreach (string a in new[] { "classify", "--wavFile", file, "--model", modelPath, "--windows", "all", "--format", "csv", "--numThreads", "1" })
            psi.ArgumentList.Add(a);
        psi.Environment[Yamnet.Cli.PeakRss.EnvironmentVariable] = "1";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + self);
        var drain = p.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        drain.Wait();
        var line = stderr.Split('\n').FirstOrDefault(l => l.StartsWith(Yamnet.Cli.PeakRss.Prefix, StringComparison.Ordinal));
        if (p.ExitCode != 0 || line is null) throw new InvalidOperationException($"classify of {file} failed ({p.ExitCode}): {stderr.Trim()}");
        return long.Parse(line[Yamnet.Cli.PeakRss.Prefix.Length..].Trim(), Inv);
    }

    internal void Say(string line)
    {
        if (text) Console.Out.WriteLine(line);
    }
}
