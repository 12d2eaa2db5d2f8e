using Yamnet.Audio;

namespace Yamnet.Analysis;

/// <summary>
/// One input's outcome in a batch (<see cref="AudioAnalysis.ClassifyBatchAsync"/>): its windows or
/// its summary, or the reason it failed. A failure of one input never stops the batch.
/// </summary>
public sealed class FileClassification
{
    internal FileClassification(int index, string name)
    {
        Index = index;
        Name = name;
    }

    /// <summary>Position of the input in the batch (results arrive in this order).</summary>
    public int Index { get; }

    /// <summary>The input's name (its path for files).</summary>
    public string Name { get; }

    /// <summary>What the input was before downmix and resampling; null when it could not be opened or for in-memory samples.</summary>
    public AudioFormatInfo? Format { get; internal set; }

    /// <summary>Every classified window (independent copies), unless a summary was asked for.</summary>
    public IReadOnlyList<WindowClassification> Windows { get; internal set; } = [];

    /// <summary>The whole-input ranking when <see cref="BatchClassificationOptions.Summary"/> is set.</summary>
    public ClassificationSummary? Summary { get; internal set; }

    /// <summary>Why the input failed (not found, not audio, truncated, ...); null on success.</summary>
    public Exception? Error { get; internal set; }

    /// <summary><see cref="Error"/>'s message on one line ("file not found", "is a directory", libsndfile's reason ...).</summary>
    public string? ErrorMessage => Error is null ? null : OneLine(Error.Message);

    public bool Failed => Error is not null;

    /// <summary>
    /// The batch was stopped through <see cref="BatchClassificationOptions.Interrupt"/> while this input
    /// was being classified: <see cref="Windows"/> (or the summary) covers its audio up to <see cref="StoppedAtSeconds"/>.
    /// </summary>
    public bool Interrupted { get; internal set; }

    /// <summary>
    /// Where classification of the input stopped early, in seconds of its audio (the end of the last
    /// classified window), when it failed or was interrupted after some windows; null otherwise.
    /// The windows before it are kept in <see cref="Windows"/> (or the summary).
    /// </summary>
    public double? StoppedAtSeconds { get; internal set; }

    /// <summary>Some windows were classified but not all: a failure or an interruption part-way through.</summary>
    public bool IsPartial => StoppedAtSeconds is not null;

    internal static string OneLine(string text)
        => string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
