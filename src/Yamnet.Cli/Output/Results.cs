using Yamnet.Audio;
using Yamnet.Classification;

namespace Yamnet.Cli.Output;

/// <summary>What every formatter needs to know about the run.</summary>
public sealed record RunInfo(
    string ModelPath,
    string Sha256,
    string? KnownName,
    ClassLabels Labels,
    int SampleRate,
    string SampleRateSource,
    int WindowLength,
    int ClassCount,
    string Delegate,
    int Hop,
    string Mode,
    bool MultipleFiles)
{
    /// <summary>The run's <see cref="Yamnet.Batch.RunFingerprint"/>, set for per-input result files (formats with a header embed it).</summary>
    public string? Fingerprint { get; init; }
}

/// <summary>One classified window and its ranked classes.</summary>
public readonly record struct WindowResult(AudioWindow Window, ScoredClass[] Classes);

/// <summary>A whole-file ranking (--summary).</summary>
public sealed record SummaryResult(string Method, int WindowCount, double StartSeconds, double EndSeconds, ScoredClass[] Classes);

/// <summary>The outcome of one input: windows (or a summary), or an error.</summary>
public sealed class FileResult
{
    public required string Path { get; init; }

    public AudioFormatInfo? Format { get; init; }

    public List<WindowResult> Windows { get; } = [];

    public SummaryResult? Summary { get; set; }

    public string? Error { get; init; }

    public bool Failed => Error is not null;
}

/// <summary>Writes results to stdout in one output format.</summary>
public interface IResultFormatter
{
    void Begin(RunInfo run);

    /// <summary>Writes one successful file's results (failed files go to stderr instead, but JSON also records them).</summary>
    void WriteFile(FileResult file);

    void End();
}

public static class ScoreText
{
    /// <summary>The float's shortest round-trip text via its double value (the seed's format: 0.80078125, 0.5).</summary>
    public static string Format(float score) => ((double)score).ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    public static string Seconds(double s) => s.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
}
