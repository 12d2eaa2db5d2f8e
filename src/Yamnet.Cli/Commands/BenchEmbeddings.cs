using System.Diagnostics;
using System.Globalization;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Embeddings;
using Yamnet.TfLite;

namespace Yamnet.Cli.Commands;

/// <summary>
/// <c>yamnet bench --embeddings</c>: what the extra outputs cost. Per-window latency of a session
/// whose model also outputs the embedding and log-mel (both read every window) against a
/// scores-only session, and whole-file wall time of <c>yamnet embed --format npy</c> against
/// <c>yamnet classify --windows all</c> on a generated recording, each side in its own child
/// process of this binary; the sides alternate over three rounds so drifting load hits both.
/// </summary>
internal sealed class BenchEmbeddings(string model, TfLiteInterpreterOptions interpreter, string clip, double seconds, Action<string> say)
{
    private const int Rounds = 3;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static float s_sink;

    internal (Percentiles ScoresOnly, Percentiles Extras) Latency()
    {
        using var plain = AudioClassifier.Load(model, new AudioClassifierOptions { Interpreter = interpreter });
        using var extras = AudioClassifier.Load(model, new AudioClassifierOptions { Interpreter = interpreter, ExtraOutputs = ExtraOutputs.All });
        using var a = plain.CreateSession();
        using var b = extras.CreateSession();
        foreach (var s in new[] { a, b })
        {
            using var reader = AudioReader.Open(clip, s.Classifier.SampleRate);
            new WindowFramer(reader, s.Classifier.WindowLength, s.Classifier.WindowLength).TryWriteNext(s.Input, out _);
        }
        var timesA = new double[100_000];
        var timesB = new double[100_000];
        int na = 0, nb = 0;
        float sink = 0;
        for (int round = 0; round < Rounds; round++)
        {
            for (int side = 0; side < 2; side++)
            {
                var session = side == 0 ? a : b;
                var times = side == 0 ? timesA : timesB;
                ref int n = ref (side == 0 ? ref na : ref nb);
                for (int i = 0; i < 20; i++) session.Run();
                long end = Stopwatch.GetTimestamp() + (long)(seconds / Rounds / 2 * Stopwatch.Frequency);
                while (n < times.Length && Stopwatch.GetTimestamp() < end)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    session.Run();
                    sink += session.Scores[0];
                    if (side == 1) sink += session.Embedding[0] + session.LogMelSpectrogram[0];
                    times[n++] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                }
            }
        }
        var pa = Percentiles.Of(timesA.AsSpan(0, na));
        var pb = Percentiles.Of(timesB.AsSpan(0, nb));
        say($"\nper-window latency (ms) with extra outputs (embedding + log-mel read each window) vs scores only, {Rounds} alternating rounds:\n" +
            $"  scores only  p50 {pa.P50:0.000}  p95 {pa.P95:0.000}  (n {pa.N})\n  with extras  p50 {pb.P50:0.000}  p95 {pb.P95:0.000}  (n {pb.N})\n" +
            $"  ratio p50 {pb.P50 / pa.P50:0.000} (target <= 1.03)");
        s_sink = sink; // keeps the reads from being optimised away
        return (pa, pb);
    }

    /// <summary>Median wall seconds of each command over a <paramref name="minutes"/>-minute recording (the clip tiled).</summary>
    internal (double Classify, double Embed) WholeFile(double minutes, int jobs)
    {
        string dir = Directory.CreateTempSubdirectory("yamnet-bench-embed-").FullName;
        try
        {
            string file = Path.Combine(dir, "long.wav");
            WriteTiled(file, minutes * 60);
            string npy = Path.Combine(dir, "out.npy");
            string[] common = ["--model", model, "--jobs", jobs.ToString(Inv), "--numThreads", interpreter.Threads.ToString(Inv)];
            string[] classify = ["classify", "--wavFile", file, "--windows", "all", "--format", "csv", .. common];
            string[] embed = ["embed", file, "--format", "npy", "-o", npy, .. common];
            var c = new List<double>();
            var e = new List<double>();
            for (int round = 0; round < Rounds; round++)
            {
                c.Add(Child(classify));
                e.Add(Child(embed));
            }
            c.Sort();
            e.Sort();
            double mc = c[Rounds / 2], me = e[Rounds / 2];
            say($"\nwhole file, {minutes:0.#}-minute recording, {jobs} job(s), median of {Rounds} alternating child runs:\n" +
                $"  classify --windows all --format csv   {mc,7:0.00} s\n  embed --format npy                    {me,7:0.00} s\n" +
                $"  embed speed / classify speed {mc / me:0.000} (target >= 0.9)");
            return (mc, me);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Child(string[] args)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "yamnet.dll"));
        foreach (string a in args) psi.ArgumentList.Add(a);
        long t0 = Stopwatch.GetTimestamp();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + self);
        var drain = p.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        drain.Wait();
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        if (p.ExitCode != 0) throw new InvalidOperationException($"yamnet {args[0]} failed ({p.ExitCode}): {CliHost.OneLine(stderr)}");
        return wall;
    }

    private void WriteTiled(string path, double seconds)
    {
        using var reader = AudioReader.Open(clip, 16000);
        var clipSamples = reader.ReadAll();
        long total = (long)(seconds * 16000);
        using var writer = AudioFileWriter.Create(path, AudioContainer.Wav, AudioEncoding.Pcm16, 16000, 1);
        for (long done = 0; done < total; done += clipSamples.Length)
            writer.WriteFrames(clipSamples.AsSpan(0, (int)Math.Min(clipSamples.Length, total - done)));
    }
}
