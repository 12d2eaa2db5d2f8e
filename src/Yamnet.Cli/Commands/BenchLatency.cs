using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.TfLite;

namespace Yamnet.Cli.Commands;

/// <summary>
/// Per-window latency of the C# session against tflite-probe (the project's C program) on the same
/// first window, model, delegate, flags and threads, in alternating rounds (see <see cref="Measure"/>).
/// </summary>
internal sealed class BenchLatency(BenchRunner runner, BenchReport report, string model, DelegateKind kind, string clip, string probe, double seconds, Action<string> say)
{
    private const int Rounds = 3;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Same first window, same threads and delegate, timed per invoke on both sides. The sides
    /// alternate over three rounds so that drift in machine load hits both alike.
    /// </summary>
    internal void Measure(int threads)
    {
        if (report.Latency.Count == 0) say($"machine: {BenchRunner.Machine()}\nmodel: {model}, delegate {CommonOptions.DelegateName(kind)}, clip {clip}\nprobe: {probe} (on the TFLite in {BenchProbe.LibraryDirectory()})\n\nper-window latency (ms), C# session vs tflite-probe (native C), {Rounds} alternating rounds of {seconds / Rounds:0.#} s each:\n  threads   C# p50   C# p95    C p50    C p95   ratio p50 (C#/C)");
        using var classifier = AudioClassifier.Load(model, runner.Options(threads));
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
        say($"  {threads,7} {cs.P50,8:0.000} {cs.P95,8:0.000} {c.P50,8:0.000} {c.P95,8:0.000}   {cs.P50 / c.P50,9:0.000}");
    }

    private void FirstWindow(AudioClassifier classifier, Span<float> input)
    {
        using var reader = AudioReader.Open(clip, classifier.SampleRate);
        new WindowFramer(reader, classifier.WindowLength, classifier.WindowLength).TryWriteNext(input, out _);
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

}
