using System.Runtime.CompilerServices;
using Yamnet.Audio;
using Yamnet.Classification;

namespace Yamnet.Analysis;

/// <summary>
/// The high-level API: classify a file, a stream or samples in memory into window results, a
/// whole-input summary, or a batch of inputs with results in input order and per-input errors.
/// <code>
/// using var classifier = AudioClassifier.Load("yamnet.tflite");
/// await foreach (var w in classifier.ClassifyAsync("clip.wav", cancellationToken: ct))
///     Console.WriteLine($"{w.StartSeconds:0.00}s {w.LabelOf(w.Classes.Span[0].Index)}");
/// </code>
/// <para>
/// <b>Results are reused.</b> Every enumeration hands out one <see cref="WindowClassification"/>
/// refilled for each window (valid until the next iteration; <see cref="WindowClassification.Clone"/>
/// keeps one), so classifying allocates nothing per window.
/// </para>
/// <para>
/// <b>Threads.</b> With one worker (<see cref="ClassificationOptions.Workers"/>), inference runs on the
/// thread that moves the enumerator: the async forms await I/O (stream reads, spooling) and yield
/// between windows but do not move the model's work elsewhere — wrap the loop in <c>Task.Run</c> to
/// keep it off a UI thread. With several workers a pipeline runs on its own threads.
/// </para>
/// <para>
/// <b>Cancellation.</b> The token is checked before every window (and between stream reads), so a
/// cancelled run stops within one window; it surfaces only as <see cref="OperationCanceledException"/>.
/// Bad input surfaces as <see cref="AudioFormatException"/> (or <see cref="FileNotFoundException"/>),
/// except in a batch, where it becomes that input's <see cref="FileClassification.Error"/>.
/// </para>
/// </summary>
public static class AudioAnalysis
{
    /// <summary>Every window of <paramref name="input"/>, in order (synchronous).</summary>
    public static IEnumerable<WindowClassification> Classify(this AudioClassifier classifier, AudioInput input, ClassificationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (o, _) = Prepare(classifier, input, options);
        return ClassifyIterator(classifier, input, o, cancellationToken);
    }

    /// <summary>Every window of the audio file at <paramref name="path"/>, in order (synchronous).</summary>
    public static IEnumerable<WindowClassification> Classify(this AudioClassifier classifier, string path, ClassificationOptions? options = null, CancellationToken cancellationToken = default)
        => classifier.Classify(AudioInput.FromFile(path), options, cancellationToken);

    /// <summary>Every window of <paramref name="input"/>, in order.</summary>
    public static IAsyncEnumerable<WindowClassification> ClassifyAsync(this AudioClassifier classifier, AudioInput input, ClassificationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (o, _) = Prepare(classifier, input, options);
        return ClassifyAsyncIterator(classifier, input, o, cancellationToken);
    }

    /// <summary>Every window of the audio file at <paramref name="path"/>, in order.</summary>
    public static IAsyncEnumerable<WindowClassification> ClassifyAsync(this AudioClassifier classifier, string path, ClassificationOptions? options = null, CancellationToken cancellationToken = default)
        => classifier.ClassifyAsync(AudioInput.FromFile(path), options, cancellationToken);

    /// <summary>Every window of the audio in <paramref name="stream"/> (left open), decoded as it arrives where the format allows.</summary>
    public static IAsyncEnumerable<WindowClassification> ClassifyAsync(this AudioClassifier classifier, Stream stream, ClassificationOptions? options = null, CancellationToken cancellationToken = default)
        => classifier.ClassifyAsync(AudioInput.FromStream(stream), options, cancellationToken);

    /// <summary>One whole-input ranking: each class's mean or max score over every window (synchronous).</summary>
    public static ClassificationSummary Summarize(this AudioClassifier classifier, AudioInput input, ScoreAggregation method = ScoreAggregation.Mean, ClassificationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (o, _) = Prepare(classifier, input, options);
        using var source = input.Open(classifier.SampleRate, cancellationToken, classifier.Options.LoggerFactory);
        using var run = new WindowRun(classifier, source, input.Name, o, method, cancellationToken);
        while (run.MoveNext())
        {
        }
        return Finish(run);
    }

    /// <summary>One whole-input ranking: each class's mean or max score over every window.</summary>
    public static async Task<ClassificationSummary> SummarizeAsync(this AudioClassifier classifier, AudioInput input, ScoreAggregation method = ScoreAggregation.Mean, ClassificationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (o, _) = Prepare(classifier, input, options);
        using var source = await input.OpenAsync(classifier.SampleRate, cancellationToken, classifier.Options.LoggerFactory).ConfigureAwait(false);
        using var run = new WindowRun(classifier, source, input.Name, o, method, cancellationToken);
        while (true)
        {
            await Prefetch(run, cancellationToken).ConfigureAwait(false);
            if (!run.MoveNext()) break;
        }
        return Finish(run);
    }

    /// <summary>
    /// Classifies many inputs on <see cref="BatchClassificationOptions.Jobs"/> interpreters at once and yields one
    /// <see cref="FileClassification"/> per input, in input order, each as soon as it and every earlier
    /// one are done. An input that fails (not found, not audio, truncated, no samples) is reported in
    /// its result and the batch goes on; cancellation stops it with <see cref="OperationCanceledException"/>.
    /// </summary>
    public static IAsyncEnumerable<FileClassification> ClassifyBatchAsync(this AudioClassifier classifier, IReadOnlyList<AudioInput> inputs, ClassificationOptions? options = null, BatchClassificationOptions? batch = null, CancellationToken cancellationToken = default)
    {
        var run = PrepareBatch(classifier, inputs, options, batch, cancellationToken);
        return run.ResultsAsync(cancellationToken);
    }

    /// <summary>The synchronous form of <see cref="ClassifyBatchAsync"/>.</summary>
    public static IEnumerable<FileClassification> ClassifyBatch(this AudioClassifier classifier, IReadOnlyList<AudioInput> inputs, ClassificationOptions? options = null, BatchClassificationOptions? batch = null, CancellationToken cancellationToken = default)
    {
        var run = PrepareBatch(classifier, inputs, options, batch, cancellationToken);
        return run.Results(cancellationToken);
    }

    private static OrderedBatch PrepareBatch(AudioClassifier classifier, IReadOnlyList<AudioInput> inputs, ClassificationOptions? options, BatchClassificationOptions? batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(inputs);
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is null) throw new ArgumentException($"inputs[{i}] is null", nameof(inputs));
        }
        var o = options ?? new ClassificationOptions();
        o.Validate();
        o.HopFor(classifier);
        var b = batch ?? new BatchClassificationOptions();
        b.Validate();
        return new OrderedBatch(classifier, inputs, o, b);
    }

    private static (ClassificationOptions Options, int Hop) Prepare(AudioClassifier classifier, AudioInput input, ClassificationOptions? options)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(input);
        var o = options ?? new ClassificationOptions();
        o.Validate();
        return (o, o.HopFor(classifier)); // also checks the classifier is not disposed
    }

    private static IEnumerable<WindowClassification> ClassifyIterator(AudioClassifier classifier, AudioInput input, ClassificationOptions options, CancellationToken cancellationToken)
    {
        using var source = input.Open(classifier.SampleRate, cancellationToken, classifier.Options.LoggerFactory);
        using var run = new WindowRun(classifier, source, input.Name, options, null, cancellationToken);
        while (run.MoveNext()) yield return run.Current;
    }

    private static async IAsyncEnumerable<WindowClassification> ClassifyAsyncIterator(AudioClassifier classifier, AudioInput input, ClassificationOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var source = await input.OpenAsync(classifier.SampleRate, cancellationToken, classifier.Options.LoggerFactory).ConfigureAwait(false);
        using var run = new WindowRun(classifier, source, input.Name, options, null, cancellationToken);
        while (true)
        {
            await Prefetch(run, cancellationToken).ConfigureAwait(false);
            if (!run.MoveNext()) break;
            yield return run.Current;
        }
    }

    /// <summary>
    /// Lets a stream source read the next window's bytes asynchronously, so the synchronous framing that
    /// follows does not block on I/O. Not with several workers: they frame (and so read the source) on
    /// their own threads while the caller awaits here, and a second reader of one decoder corrupts it
    /// (a test saw a whole file reported as truncated); their blocking reads block no caller thread.
    /// </summary>
    private static ValueTask Prefetch(WindowRun run, CancellationToken cancellationToken)
        => run.Source is IPrefetchingSource p && !run.ReadsOnWorkerThreads ? p.PrefetchAsync(run.Windows == 0 ? run.WindowLength : run.Hop, cancellationToken) : ValueTask.CompletedTask;

    private static ClassificationSummary Finish(WindowRun run)
    {
        if (run.Windows == 0) throw new AudioFormatException($"'{run.Current.InputName}' contains no audio samples.", run.Current.InputName);
        return run.Summarize();
    }
}
