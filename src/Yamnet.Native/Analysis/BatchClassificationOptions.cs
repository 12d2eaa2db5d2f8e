using Yamnet.Classification;

namespace Yamnet.Analysis;

/// <summary>How <see cref="AudioAnalysis.ClassifyBatchAsync"/> spreads a batch over interpreters.</summary>
public sealed record BatchClassificationOptions
{
    /// <summary>
    /// Interpreters working at once: over the inputs of a batch, or over the windows of a single
    /// input (unless only its first window is asked for). Default: the processor count.
    /// </summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>When set, each input gets one whole-input ranking instead of its windows.</summary>
    public ScoreAggregation? Summary { get; init; }

    /// <summary>Told the number of inputs finished so far, from worker threads, as each input finishes.</summary>
    public IProgress<int>? Progress { get; init; }

    /// <summary>
    /// Called on the worker thread as soon as an input is done, before results are put in input
    /// order (e.g. to store each result at once, so a killed run keeps every finished input). An
    /// exception it throws becomes that input's <see cref="FileClassification.Error"/>.
    /// </summary>
    public Action<FileClassification>? OnCompleted { get; init; }

    /// <summary>
    /// Called with each window of an input as soon as it is classified, in window order, on the thread
    /// that classifies that input: the caller's own for a single input through
    /// <see cref="AudioAnalysis.ClassifyBatch"/>, a worker's otherwise (inputs then run concurrently).
    /// It lets a long recording's results be written out while the rest of it is still being
    /// classified, instead of all after its last window. The <see cref="FileClassification"/> has its
    /// <see cref="FileClassification.Name"/>, <see cref="FileClassification.Index"/> and
    /// <see cref="FileClassification.Format"/> set, not yet its windows; the window is reused for the
    /// next one once the call returns (<see cref="WindowClassification.Clone"/> keeps it). Also called
    /// when a summary is asked for. An exception it throws stops the input, which fails with it and
    /// keeps the windows classified so far.
    /// </summary>
    public Action<FileClassification, WindowClassification>? OnWindow { get; init; }

    /// <summary>
    /// A graceful stop (Ctrl-C, SIGTERM, a closed output pipe): once cancelled no further input is
    /// started, the inputs being classified stop before their next window and are delivered with the
    /// windows done so far (<see cref="FileClassification.Interrupted"/>), and the results then end
    /// without an exception. Unlike the batch's cancellation token, nothing already classified is lost.
    /// Interrupted inputs are not passed to <see cref="OnCompleted"/> (they are not finished).
    /// </summary>
    public CancellationToken Interrupt { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (Jobs < 1 || Jobs > 256)
            throw new ArgumentOutOfRangeException(nameof(Jobs), Jobs, "Jobs must be 1..256.");
        if (Summary is { } s && !Enum.IsDefined(s))
            throw new ArgumentOutOfRangeException(nameof(Summary), s, "Unknown summary method.");
    }
}
