using Yamnet.Audio;
using Yamnet.Classification;

namespace Yamnet.Events;

/// <summary>
/// Sound events of whole files: decode, classify every window (<see cref="FileAnalyzer"/>, or a
/// <see cref="WindowPipeline"/> over several interpreters for one long file), feed an
/// <see cref="EventDetector"/> and close it at the end of the audio. A batch runs files in
/// parallel, one leased session per worker, and returns results in input order; a bad file is a
/// result with an error, never an exception.
/// </summary>
public static class FileEventDetector
{
    /// <summary>The events of one file. <paramref name="windowWorkers"/> &gt; 1 spreads its windows over that many interpreters.</summary>
    public static EventFileResult Detect(AudioClassifier classifier, string path, int hop, EventDetectorOptions options, int windowWorkers = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (Directory.Exists(path)) return Failure(path, "is a directory");
        if (!File.Exists(path)) return Failure(path, "file not found");
        var events = new SoundEventList();
        EventDetector? detector = null;
        int pushed = 0;
        double reached = 0;
        try
        {
            using var reader = AudioReader.Open(path, classifier.SampleRate, classifier.Options.LoggerFactory);
            var timeline = new EventTimeline(classifier.WindowLength, hop, classifier.SampleRate);
            var d = detector = new EventDetector(options, classifier.Labels, timeline, events);
            FileAnalysisStats stats;
            WindowScoresCallback push = (in AudioWindow w, ReadOnlySpan<float> s) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                d.Push(w, s);
                pushed++;
                reached = w.EndSeconds;
            };
            if (windowWorkers > 1)
            {
                stats = new WindowPipeline(classifier, windowWorkers).Analyze(reader, hop, push, cancellationToken);
            }
            else
            {
                using var session = classifier.RentSession();
                stats = FileAnalyzer.Analyze(session, reader, hop, push, cancellationToken: cancellationToken);
            }
            if (stats.Windows == 0) return Failure(path, "contains no audio samples");
            double duration = stats.SamplesRead / (double)classifier.SampleRate;
            d.Flush(duration);
            return new EventFileResult(path, events.Sorted(), duration, stats.Windows, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the caller: keep what was found, events still open closed at the cut.
            detector?.Flush(reached);
            return new EventFileResult(path, events.Sorted(), reached, pushed, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"interrupted at {reached:0.###} s")) { Interrupted = true };
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or ArgumentNullException))
        {
            return Failure(path, OneLine(e.Message));
        }
    }

    /// <summary>
    /// The events of every input, yielded in input order as each is ready; <paramref name="jobs"/>
    /// files are analysed at once (a single file uses the <paramref name="jobs"/> interpreters for its
    /// windows instead). <paramref name="knownErrors"/> marks inputs already known to be bad (reported
    /// as they are). <paramref name="onCompleted"/> runs on a worker thread as soon as an input is done
    /// (e.g. to write its result file before the others finish).
    /// </summary>
    public static IEnumerable<EventFileResult> DetectAll(AudioClassifier classifier, IReadOnlyList<(string Path, string? Error)> inputs, int hop,
        EventDetectorOptions options, int jobs, Func<EventFileResult, EventFileResult>? onCompleted = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(jobs);
        if (inputs.Count == 0) yield break;
        int workers = Math.Min(jobs, inputs.Count);
        int windowWorkers = inputs.Count == 1 ? jobs : 1;
        var results = new TaskCompletionSource<EventFileResult>[inputs.Count];
        for (int i = 0; i < results.Length; i++) results[i] = new TaskCompletionSource<EventFileResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        int next = -1;
        var tasks = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            tasks[w] = Task.Factory.StartNew(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < inputs.Count)
                {
                    // Once stopped, hand out no more work: every input not started is cancelled.
                    if (cancellationToken.IsCancellationRequested)
                    {
                        results[i].SetCanceled(cancellationToken);
                        continue;
                    }
                    try
                    {
                        var (path, error) = inputs[i];
                        var r = error is not null ? Failure(path, error) : Detect(classifier, path, hop, options, windowWorkers, cancellationToken);
                        if (onCompleted is not null && !r.Failed) r = onCompleted(r);
                        results[i].SetResult(r);
                    }
                    catch (Exception e)
                    {
                        results[i].SetException(e);
                    }
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        try
        {
            foreach (var r in results)
            {
                EventFileResult value;
                try
                {
                    value = r.Task.GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break; // not started before the stop: nothing later is either
                }
                yield return value;
            }
        }
        finally
        {
            Interlocked.Exchange(ref next, inputs.Count); // stop handing out work if the caller stopped early
            Task.WaitAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)).ToArray());
        }
    }

    private static EventFileResult Failure(string path, string error) => new(path, [], 0, 0, error);

    private static string OneLine(string text)
        => string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
