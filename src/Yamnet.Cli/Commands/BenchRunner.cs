using System.Globalization;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.TfLite;

namespace Yamnet.Cli.Commands;

/// <summary>
/// The measurements behind <see cref="BenchCommand"/>, in the order it runs them: each lives in its own
/// Bench* class (latency, start-up, throughput, scaling, RSS, events, embeddings); this one holds what
/// they share (the options, the generated recording, the machine line, the text output).
/// </summary>
internal sealed class BenchRunner(BenchReport report, string model, DelegateKind kind, string clip, string probe, double seconds, bool text)
{
    /// <summary>--xnnpackWeightsCache for the CLI runs of the scaling comparison (on/off; TFLite 2.19 only).</summary>
    internal string WeightsCache { get; init; } = "on";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Per-window latency against the C probe at <paramref name="threads"/> threads (<see cref="BenchLatency"/>).</summary>
    internal void Latency(int threads) => new BenchLatency(this, report, model, kind, clip, probe, seconds, Say).Measure(threads);

    /// <summary>Whole-file throughput, bytes per window and event overhead (<see cref="BenchThroughput"/>).</summary>
    internal void Throughput(double minutes, int workers, int threads) => new BenchThroughput(this, report, model, Say).Measure(minutes, workers, threads);

    /// <summary>Peak RSS of a child classify on a 10 and a 60-minute file (<see cref="BenchPeakRss"/>).</summary>
    internal void MeasurePeakRss(string modelPath) => new BenchPeakRss(this, report, Say).Measure(modelPath);

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

    internal AudioClassifierOptions Options(int threads) => new()
    {
        Interpreter = new TfLiteInterpreterOptions { Threads = threads, Delegate = kind, XnnPackFlags = XnnPackFlags.Qs8 },
    };

    /// <summary>Writes the clip tiled to <paramref name="seconds"/> as 16 kHz mono 16-bit WAV, in blocks (constant memory).</summary>
    internal long WriteTiled(string path, double seconds)
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

    internal void Say(string line)
    {
        if (text) Console.Out.WriteLine(line);
    }
}
