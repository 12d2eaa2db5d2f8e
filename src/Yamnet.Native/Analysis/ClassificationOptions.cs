using Yamnet.Classification;

namespace Yamnet.Analysis;

/// <summary>What to report of each window, and how windows are placed. Validated by <see cref="Validate"/>.</summary>
public sealed record ClassificationOptions
{
    /// <summary>Classes per window, best first: at least 1, or -1 for every class (ranked).</summary>
    public int MaxResults { get; init; } = 5;

    /// <summary>Only classes scoring at least this, in [0, 1].</summary>
    public float ScoreThreshold { get; init; }

    /// <summary>An allow or deny list of labels (see <see cref="ClassFilter.Create"/>); null admits every class.</summary>
    public ClassFilter? Filter { get; init; }

    /// <summary>Overlap of consecutive windows in [0, 1): hop = round(W · (1 − f)) (YAMNet: 7800 samples). Ignored when <see cref="Hop"/> is set.</summary>
    public double OverlappingFactor { get; init; } = 0.5;

    /// <summary>Samples between window starts (1..W); overrides <see cref="OverlappingFactor"/>.</summary>
    public int? Hop { get; init; }

    /// <summary>Stop after this many windows (1 = the first window only, the Raspberry Pi example's behaviour).</summary>
    public int MaxWindows { get; init; } = int.MaxValue;

    /// <summary>Also copy every class's score into <see cref="WindowClassification.Scores"/> (one float per class per window, no allocation).</summary>
    public bool IncludeAllScores { get; init; }

    /// <summary>
    /// Interpreters working on the windows of one input (a <see cref="WindowPipeline"/>); 1 runs
    /// every window on the thread that enumerates. Used only when <see cref="MaxWindows"/> is unlimited.
    /// </summary>
    public int Workers { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (MaxResults < 1 && MaxResults != -1)
            throw new ArgumentOutOfRangeException(nameof(MaxResults), MaxResults, "MaxResults must be at least 1, or -1 for all classes.");
        if (!(ScoreThreshold >= 0f && ScoreThreshold <= 1f))
            throw new ArgumentOutOfRangeException(nameof(ScoreThreshold), ScoreThreshold, "ScoreThreshold must be between 0 and 1.");
        if (Hop is null && !(OverlappingFactor >= 0 && OverlappingFactor < 1))
            throw new ArgumentOutOfRangeException(nameof(OverlappingFactor), OverlappingFactor, "OverlappingFactor must be at least 0 and below 1.");
        if (Hop is < 1)
            throw new ArgumentOutOfRangeException(nameof(Hop), Hop, "Hop must be at least 1 sample.");
        if (MaxWindows < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxWindows), MaxWindows, "MaxWindows must be at least 1.");
        if (Workers < 1 || Workers > 64)
            throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "Workers must be 1..64.");
    }

    /// <summary>The hop for <paramref name="classifier"/>'s window length.</summary>
    public int HopFor(AudioClassifier classifier)
    {
        int w = classifier.WindowLength;
        if (Hop is { } hop)
        {
            if (hop > w) throw new ArgumentOutOfRangeException(nameof(Hop), hop, $"Hop ({hop}) must not exceed the window length ({w}).");
            return hop;
        }
        return FileAnalyzer.HopFor(w, OverlappingFactor);
    }

    /// <summary>Classes per window for a model with <paramref name="classCount"/> classes.</summary>
    internal int TopCount(int classCount) => MaxResults == -1 ? classCount : Math.Min(MaxResults, classCount);
}
