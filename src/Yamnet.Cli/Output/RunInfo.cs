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
