using System.Runtime.CompilerServices;
using Yamnet.Audio;
using Yamnet.Classification;

namespace Yamnet.Analysis;

/// <summary>
/// One batch: a fixed set of long-running workers take inputs in order (an atomic counter), each
/// classifies its input to the end on a leased session, and the results are handed out strictly in
/// input order through one completion slot per input. Memory: every window of the inputs finished
/// ahead of the one being waited for (at most Jobs − 1 inputs ahead, plus the one in hand).
/// </summary>
internal sealed class OrderedBatch
{
    private readonly AudioClassifier _classifier;
    private readonly IReadOnlyList<AudioInput> _inputs;
    private readonly ClassificationOptions _options;
    private readonly BatchClassificationOptions _batch;
    private readonly TaskCompletionSource<FileClassification>[] _slots;
    private int _started;

    internal OrderedBatch(AudioClassifier classifier, IReadOnlyList<AudioInput> inputs, ClassificationOptions options, BatchClassificationOptions batch)
    {
        _classifier = classifier;
        _inputs = inputs.ToArray();
        _batch = batch;
        FileWorkers = Math.Min(batch.Jobs, Math.Max(1, _inputs.Count));
        // One input with every window asked for: spread its windows over the jobs instead, so a long
        // recording uses every core too.
        int windowWorkers = _inputs.Count == 1 && options.MaxWindows == int.MaxValue ? batch.Jobs : 1;
        _options = options with { Workers = windowWorkers };
        _slots = new TaskCompletionSource<FileClassification>[_inputs.Count];
        for (int i = 0; i < _slots.Length; i++) _slots[i] = new TaskCompletionSource<FileClassification>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    internal int FileWorkers { get; }

    internal async IAsyncEnumerable<FileClassification> ResultsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var workers = Start(cancellationToken);
        try
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                var result = await _slots[i].Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested(); // a finished result is not handed out after a cancel either
                if (result is null) yield break; // interrupted: this input and every later one were not started
                yield return result;
            }
        }
        finally
        {
            Stop();
            await Task.WhenAll(workers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    internal IEnumerable<FileClassification> Results(CancellationToken cancellationToken)
    {
        // One input and a caller that waits anyway: classify it on the caller's thread. A worker thread
        // would only add a thread start and two hand-offs (the start-up of the seed command, issue 16).
        var workers = Start(cancellationToken, inline: _inputs.Count == 1);
        try
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                var task = _slots[i].Task;
                if (!task.IsCompleted)
                {
                    try
                    {
                        task.Wait(cancellationToken);
                    }
                    catch (AggregateException)
                    {
                        // Cancelled slot: rethrown below as the OperationCanceledException it is.
                    }
                }
                var result = task.GetAwaiter().GetResult();
                cancellationToken.ThrowIfCancellationRequested();
                if (result is null) yield break;
                yield return result;
            }
        }
        finally
        {
            Stop();
            Task.WaitAll(workers);
        }
    }

    private readonly CancellationTokenSource _stop = new();
    private int _next = -1;
    private int _completed;
    private CancellationToken _runToken;

    private Task[] Start(CancellationToken cancellationToken, bool inline = false)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("A batch can be enumerated once.");
        // Inline, nothing else runs while the one input is classified, so nothing can race the
        // interpreters' creation; the pipeline then builds its spare sessions while its first windows
        // run, instead of all of them before the first (≈ 4 ms each: a fixed cost --jobs 1 does not pay).
        if (!inline) Warm();
        // The workers stop on the caller's token, and also when the caller stops enumerating early.
        var token = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token).Token;
        // A window run stops on either; which one fired decides between an exception and a cut result.
        _runToken = CancellationTokenSource.CreateLinkedTokenSource(token, _batch.Interrupt).Token;
        if (inline)
        {
            Work(token);
            return [];
        }
        var workers = new Task[FileWorkers];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Factory.StartNew(() => Work(token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        return workers;
    }

    /// <summary>
    /// Builds every interpreter the batch will use before the first result is handed out, so that
    /// nothing the caller prints meanwhile races an interpreter's creation (TFLite's start-up chatter).
    /// </summary>
    private void Warm()
    {
        int sessions = _options.Workers > 1 ? new WindowPipeline(_classifier, _options.Workers).SessionCount : FileWorkers;
        var warm = new List<ClassifierSession>(sessions);
        try
        {
            for (int i = 0; i < sessions; i++) warm.Add(_classifier.RentSession());
        }
        finally
        {
            foreach (var s in warm) s.Dispose();
        }
    }

    private void Stop() => _stop.Cancel();

    private void Work(CancellationToken cancellationToken)
    {
        int i;
        while ((i = Interlocked.Increment(ref _next)) < _inputs.Count)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _slots[i].TrySetCanceled(cancellationToken);
                continue;
            }
            if (_batch.Interrupt.IsCancellationRequested)
            {
                // Not started: a null result ends the results at this input (inputs start in order, so every
                // earlier one was started and is delivered, complete or cut).
                _slots[i].TrySetResult(null!);
                continue;
            }
            try
            {
                var result = Classify(i, _inputs[i], cancellationToken);
                if (_batch.OnCompleted is { } completed && !result.Interrupted)
                {
                    try
                    {
                        completed(result);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        result.Error ??= e;
                        result.Windows = [];
                        result.Summary = null;
                    }
                }
                _slots[i].TrySetResult(result);
            }
            catch (OperationCanceledException e)
            {
                _slots[i].TrySetCanceled(e.CancellationToken);
            }
            _batch.Progress?.Report(Interlocked.Increment(ref _completed));
        }
    }

    private FileClassification Classify(int index, AudioInput input, CancellationToken cancellationToken)
    {
        var result = new FileClassification(index, input.Name);
        if (input.Path is { } path)
        {
            // The short forms (the result is labelled with the path already).
            if (Directory.Exists(path)) return Fail(result, new AudioFormatException("is a directory", path));
            if (!File.Exists(path)) return Fail(result, new FileNotFoundException("file not found", path));
        }
        ISampleSource source;
        try
        {
            source = input.Open(_classifier.SampleRate, cancellationToken, _classifier.Options.LoggerFactory);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Fail(result, e);
        }
        using (source)
        {
            result.Format = AudioInput.FormatOf(source);
            WindowRun? run = null;
            List<WindowClassification>? windows = _batch.Summary is null ? [] : null;
            try
            {
                run = new WindowRun(_classifier, source, input.Name, _options, _batch.Summary, _runToken);
                var onWindow = _batch.OnWindow;
                run.RunToEnd(w =>
                {
                    windows?.Add(w.Clone());
                    onWindow?.Invoke(result, w);
                });
                if (run.Windows == 0) return Fail(result, new AudioFormatException("contains no audio samples", input.Name));
                if (windows is not null) result.Windows = windows;
                else result.Summary = run.Summarize();
                return result;
            }
            catch (OperationCanceledException) when (_batch.Interrupt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                result.Interrupted = true;
                KeepPartial(result, run, windows);
                result.StoppedAtSeconds ??= 0;
                return result;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Under --windows all a damaged file keeps what was classified before the damage.
                KeepPartial(result, run, windows);
                return Fail(result, e);
            }
            finally
            {
                run?.Dispose();
            }
        }
    }

    /// <summary>Keeps the windows (or the summary of them) classified before a failure or an interruption.</summary>
    private static void KeepPartial(FileClassification result, WindowRun? run, List<WindowClassification>? windows)
    {
        if (run is null || run.Windows == 0) return;
        if (windows is { Count: > 0 })
        {
            result.Windows = windows;
            result.StoppedAtSeconds = windows[^1].EndSeconds;
        }
        else if (windows is null)
        {
            result.Summary = run.Summarize();
            result.StoppedAtSeconds = run.Current.EndSeconds;
        }
    }

    private static FileClassification Fail(FileClassification result, Exception e)
    {
        result.Error = e;
        return result;
    }
}
