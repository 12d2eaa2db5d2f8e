using Yamnet.Audio;

namespace Yamnet.Classification;

/// <summary>
/// Classifies one sample stream on several interpreters at once, in a bounded pipeline:
/// decode → frame → infer → ordered results.
/// <para>
/// The producer (the calling thread) decodes and frames each window straight into the input tensor
/// of a free session; a worker thread runs it; finished windows are handed to the callback strictly
/// in window order. A session is the unit of buffering: there are exactly
/// <see cref="SessionCount"/> of them, so at most that many windows are in flight, memory is flat
/// for any duration, and nothing is allocated per window in steady state (no queues that grow,
/// no per-window tasks). Sessions are leases of the classifier (<see cref="AudioClassifier.RentSession"/>)
/// and go back to it.
/// </para>
/// </summary>
public sealed class WindowPipeline
{
    private readonly AudioClassifier _classifier;

    /// <param name="classifier">The classifier whose sessions run the windows.</param>
    /// <param name="workers">Inference threads (1 runs everything on the calling thread).</param>
    public WindowPipeline(AudioClassifier classifier, int workers)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        _classifier = classifier;
        Workers = Math.Min(workers, 64);
    }

    public int Workers { get; }

    /// <summary>
    /// Sessions in flight: one per worker running, one being framed, and one spare so that a window
    /// finishing out of order does not stall the producer while it waits for its turn.
    /// </summary>
    public int SessionCount => Workers == 1 ? 1 : Workers + 2;

    /// <summary>
    /// Classifies every window of <paramref name="source"/> (hop <paramref name="hop"/>) and calls
    /// <paramref name="onWindow"/> for each, in window order, on one thread at a time.
    /// </summary>
    public FileAnalysisStats Analyze(ISampleSource source, int hop, WindowScoresCallback onWindow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onWindow);
        return Analyze(source, hop, (in AudioWindow window, in WindowOutputs outputs) => onWindow(window, outputs.Scores), cancellationToken);
    }

    /// <summary>
    /// As <see cref="Analyze(ISampleSource, int, WindowScoresCallback, CancellationToken)"/>, handing each window's
    /// <see cref="WindowOutputs"/> (scores, and the embedding/log-mel when the classifier has them) to <paramref name="onWindow"/>.
    /// </summary>
    public FileAnalysisStats Analyze(ISampleSource source, int hop, WindowOutputsCallback onWindow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(onWindow);
        if (Workers == 1)
        {
            using var session = _classifier.RentSession();
            return FileAnalyzer.Analyze(session, source, hop, onWindow);
        }
        if (source.SampleRate != _classifier.SampleRate)
            throw new ArgumentException($"the source delivers {source.SampleRate} Hz but the model expects {_classifier.SampleRate} Hz", nameof(source));

        var run = new Run(this, _classifier.RentSession, onWindow, SessionCount, cancellationToken);
        try
        {
            return run.Execute(new WindowFramer(source, _classifier.WindowLength, hop));
        }
        finally
        {
            foreach (var s in run.AllSessions) s.Dispose();
        }
    }

    /// <summary>The state of one Analyze call. Every shared field is guarded by <see cref="_gate"/>.</summary>
    private sealed class Run
    {
        private readonly object _gate = new();
        private readonly WindowOutputsCallback _onWindow;
        private readonly CancellationToken _cancellation;
        private readonly Stack<ClassifierSession> _free;
        private readonly (ClassifierSession Session, AudioWindow Window)[] _queue;   // ring of framed windows awaiting a worker
        private readonly (ClassifierSession? Session, AudioWindow Window)[] _done;   // finished windows by index % length
        private readonly int _workers;
        private int _queueHead, _queueCount;
        private int _nextToDeliver;
        private bool _inputEnded;
        private Exception? _failure;

        internal Run(WindowPipeline owner, Func<ClassifierSession> rent, WindowOutputsCallback onWindow, int sessions, CancellationToken cancellation)
        {
            _onWindow = onWindow;
            _cancellation = cancellation;
            _workers = owner.Workers;
            AllSessions = new List<ClassifierSession>(sessions);
            try
            {
                for (int i = 0; i < sessions; i++) AllSessions.Add(rent());
            }
            catch
            {
                foreach (var s in AllSessions) s.Dispose();
                throw;
            }
            _free = new Stack<ClassifierSession>(AllSessions);
            _queue = new (ClassifierSession, AudioWindow)[sessions];
            _done = new (ClassifierSession?, AudioWindow)[sessions];
        }

        internal List<ClassifierSession> AllSessions { get; }

        internal FileAnalysisStats Execute(WindowFramer framer)
        {
            var threads = new Thread[_workers];
            for (int i = 0; i < threads.Length; i++)
            {
                threads[i] = new Thread(WorkerLoop) { IsBackground = true, Name = "yamnet-infer-" + i };
                threads[i].Start();
            }
            int produced = 0;
            try
            {
                while (true)
                {
                    ClassifierSession session;
                    lock (_gate)
                    {
                        while (_free.Count == 0 && _failure is null) Monitor.Wait(_gate);
                        if (_failure is not null) break;
                        session = _free.Pop();
                    }
                    _cancellation.ThrowIfCancellationRequested();
                    if (!framer.TryWriteNext(session.Input, out var window))
                    {
                        lock (_gate) _free.Push(session);
                        break;
                    }
                    produced++;
                    lock (_gate)
                    {
                        _queue[(_queueHead + _queueCount) % _queue.Length] = (session, window);
                        _queueCount++;
                        Monitor.PulseAll(_gate);
                    }
                }
            }
            catch (Exception e)
            {
                Fail(e);
            }
            lock (_gate)
            {
                _inputEnded = true;
                Monitor.PulseAll(_gate);
            }
            foreach (var t in threads) t.Join();
            if (_failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
            return new FileAnalysisStats(produced, framer.SamplesRead);
        }

        private void WorkerLoop()
        {
            while (true)
            {
                ClassifierSession session;
                AudioWindow window;
                lock (_gate)
                {
                    while (_queueCount == 0 && !_inputEnded && _failure is null) Monitor.Wait(_gate);
                    if (_failure is not null || _queueCount == 0) return;
                    (session, window) = _queue[_queueHead];
                    _queue[_queueHead] = default;
                    _queueHead = (_queueHead + 1) % _queue.Length;
                    _queueCount--;
                }
                try
                {
                    session.Run();
                    Deliver(session, window);
                }
                catch (Exception e)
                {
                    Fail(e);
                    return;
                }
            }
        }

        // Windows finish out of order; each waits in _done until every earlier one was delivered.
        // Delivery happens under the gate, so the callback never runs on two threads at once.
        private void Deliver(ClassifierSession session, in AudioWindow window)
        {
            lock (_gate)
            {
                _done[window.Index % _done.Length] = (session, window);
                while (_done[_nextToDeliver % _done.Length] is { Session: { } ready, Window: var w } && w.Index == _nextToDeliver)
                {
                    _done[_nextToDeliver % _done.Length] = default;
                    if (_failure is null)
                    {
                        try
                        {
                            _onWindow(w, new WindowOutputs(ready));
                        }
                        catch (Exception e)
                        {
                            _failure = e;
                        }
                    }
                    _free.Push(ready);
                    _nextToDeliver++;
                }
                Monitor.PulseAll(_gate);
            }
        }

        private void Fail(Exception e)
        {
            lock (_gate)
            {
                _failure ??= e;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
