using Yamnet.Audio;

namespace Yamnet.Classification;

/// <summary>Receives one window's scores. The span is the session's output tensor: valid only during the call.</summary>
public delegate void WindowScoresCallback(in AudioWindow window, ReadOnlySpan<float> scores);

/// <summary>Receives one window's outputs (scores, and the embedding/log-mel when loaded): valid only during the call.</summary>
public delegate void WindowOutputsCallback(in AudioWindow window, in WindowOutputs outputs);

/// <summary>What <see cref="FileAnalyzer"/> went through.</summary>
/// <param name="Windows">Windows classified.</param>
/// <param name="SamplesRead">Samples pulled from the source (all of them unless stopped by a window limit).</param>
public readonly record struct FileAnalysisStats(int Windows, long SamplesRead);

/// <summary>
/// The per-file streaming loop: frames a sample source into windows written straight into the
/// session's native input tensor (no intermediate copy), runs the model on each, and hands the native
/// output span to a callback. Memory is flat in the file length; nothing is allocated per window.
/// </summary>
public static class FileAnalyzer
{
    /// <summary>
    /// The hop for an overlapping factor f in [0, 1): round(W · (1 − f)), at least 1 and at most W
    /// (YAMNet: 15600 · 0.5 = 7800; f = 0 gives hop = W, non-overlapping windows). See also
    /// <see cref="Yamnet.Audio.WindowHop"/> for a hop in samples or seconds.
    /// </summary>
    public static int HopFor(int windowLength, double overlappingFactor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowLength);
        if (!(overlappingFactor >= 0 && overlappingFactor < 1))
            throw new ArgumentOutOfRangeException(nameof(overlappingFactor), overlappingFactor, "Overlapping factor must be at least 0 and below 1.");
        long hop = (long)Math.Round(windowLength * (1.0 - overlappingFactor), MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(hop, 1, windowLength);
    }

    /// <summary>
    /// Classifies up to <paramref name="maxWindows"/> windows of <paramref name="source"/> (window k
    /// starts at k · <paramref name="hop"/>; see <see cref="WindowFramer"/>) and calls
    /// <paramref name="onWindow"/> with each window's scores, in order.
    /// </summary>
    /// <param name="cancellationToken">
    /// Checked before each window is framed: cancelled during window k's callback, no later window is
    /// decoded, run or delivered. Surfaces only as <see cref="OperationCanceledException"/>.
    /// </param>
    /// <exception cref="ArgumentException">The source's rate is not the classifier's.</exception>
    public static FileAnalysisStats Analyze(ClassifierSession session, ISampleSource source, int hop, WindowScoresCallback onWindow, int maxWindows = int.MaxValue,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onWindow);
        return Analyze(session, source, hop, (in AudioWindow window, in WindowOutputs outputs) => onWindow(window, outputs.Scores), maxWindows, cancellationToken);
    }

    /// <summary>
    /// As <see cref="Analyze(ClassifierSession, ISampleSource, int, WindowScoresCallback, int, CancellationToken)"/>, handing each
    /// window's <see cref="WindowOutputs"/> (scores, embedding, log-mel) to <paramref name="onWindow"/>.
    /// </summary>
    public static FileAnalysisStats Analyze(ClassifierSession session, ISampleSource source, int hop, WindowOutputsCallback onWindow, int maxWindows = int.MaxValue,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(onWindow);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWindows);
        var classifier = session.Classifier;
        if (source.SampleRate != classifier.SampleRate)
            throw new ArgumentException($"the source delivers {source.SampleRate} Hz but the model expects {classifier.SampleRate} Hz", nameof(source));

        var framer = new WindowFramer(source, classifier.WindowLength, hop);
        int windows = 0;
        while (windows < maxWindows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!framer.TryWriteNext(session.Input, out var window)) break;
            session.Run();
            onWindow(window, new WindowOutputs(session));
            windows++;
        }
        return new FileAnalysisStats(windows, framer.SamplesRead);
    }
}

/// <summary>How <see cref="ScoreAggregate"/> combines a class's scores over windows.</summary>
public enum ScoreAggregation
{
    /// <summary>Arithmetic mean (summed in double precision in window order, then rounded to float).</summary>
    Mean,

    /// <summary>Largest score.</summary>
    Max,
}

/// <summary>Accumulates per-class scores over windows for a whole-file ranking. Allocates once.</summary>
public sealed class ScoreAggregate
{
    private readonly double[] _acc;
    private readonly float[] _result;

    public ScoreAggregate(int classCount, ScoreAggregation kind)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        Kind = kind;
        _acc = new double[classCount];
        _result = new float[classCount];
        if (kind == ScoreAggregation.Max) Array.Fill(_acc, double.NegativeInfinity);
    }

    public ScoreAggregation Kind { get; }

    /// <summary>Windows added so far.</summary>
    public int Count { get; private set; }

    public void Add(ReadOnlySpan<float> scores)
    {
        if (scores.Length != _acc.Length) throw new ArgumentException($"expected {_acc.Length} scores, got {scores.Length}", nameof(scores));
        if (Kind == ScoreAggregation.Mean)
        {
            for (int i = 0; i < scores.Length; i++) _acc[i] += scores[i];
        }
        else
        {
            for (int i = 0; i < scores.Length; i++) _acc[i] = Math.Max(_acc[i], scores[i]);
        }
        Count++;
    }

    /// <summary>The aggregated score of every class (zeros before any window). The span is reused by later calls.</summary>
    public ReadOnlySpan<float> Result()
    {
        if (Count == 0)
        {
            Array.Clear(_result);
            return _result;
        }
        for (int i = 0; i < _acc.Length; i++)
            _result[i] = Kind == ScoreAggregation.Mean ? (float)(_acc[i] / Count) : (float)_acc[i];
        return _result;
    }
}
