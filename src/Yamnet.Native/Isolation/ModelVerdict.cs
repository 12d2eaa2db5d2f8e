namespace Yamnet.Isolation;

/// <summary>The outcome of <see cref="ModelTrial.Check"/> for one model file and one set of interpreter settings.</summary>
/// <param name="Sha256">The model file's SHA-256.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Detail">The signal name for a crash, the child's one-line error for a refusal, else empty.</param>
/// <param name="FromCache">True when the verdict was read from the cache instead of a new trial.</param>
public sealed record ModelVerdict(string Sha256, ModelVerdictKind Kind, string Detail, bool FromCache)
{
    /// <summary>True when the model may be run in this process (known, ran, or refused with an ordinary error).</summary>
    public bool IsSafe => Kind is ModelVerdictKind.Known or ModelVerdictKind.Ran or ModelVerdictKind.Refused;

    /// <summary>
    /// What gave the verdict: "tflite-probe" or the child command's program name for a trial run now,
    /// "validation" for a model refused before any child was started, null for a cached or known one.
    /// </summary>
    public string? Source { get; init; }
}
