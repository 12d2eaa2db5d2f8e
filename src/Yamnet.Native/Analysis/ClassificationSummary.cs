using Yamnet.Audio;
using Yamnet.Classification;

namespace Yamnet.Analysis;

/// <summary>A whole-input ranking: each class's mean or max score over every window.</summary>
public sealed class ClassificationSummary
{
    internal ClassificationSummary(string inputName, AudioFormatInfo? format, ScoreAggregation method, int windowCount, double endSeconds, ScoredClass[] classes, float[] scores)
    {
        InputName = inputName;
        Format = format;
        Method = method;
        WindowCount = windowCount;
        EndSeconds = endSeconds;
        Classes = classes;
        Scores = scores;
    }

    public string InputName { get; }

    /// <summary>What the input was before downmix and resampling (null for in-memory samples).</summary>
    public AudioFormatInfo? Format { get; }

    public ScoreAggregation Method { get; }

    public int WindowCount { get; }

    /// <summary>Always 0: a summary covers the input from its start.</summary>
    public double StartSeconds => 0;

    /// <summary>The end of the audio: samples read / sample rate.</summary>
    public double EndSeconds { get; }

    /// <summary>The best classes of the aggregated scores, after the threshold and filter.</summary>
    public IReadOnlyList<ScoredClass> Classes { get; }

    /// <summary>Every class's aggregated score (index = class).</summary>
    public IReadOnlyList<float> Scores { get; }
}
