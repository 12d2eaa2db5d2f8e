using Yamnet.Audio;

namespace Yamnet.Classification;

/// <summary>
/// Classifies one sample stream on several interpreters at once, in a bounded pipeline:
/// decode → frame → infer → ordered results.
/// <para>
/// The calling thread decodes and frames each window straight into the input tensor of a free
/// session; a worker thread runs it; the calling thread hands finished windows to the callback
/// strictly in window order (so the callback always runs on the calling thread, outside any lock,
/// while the workers go on with the next windows). A session is the unit of buffering: there are exactly
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
    /// Managed bytes allocated by the threads of the last multi-worker Analyze (the calling thread
    /// from start to end, callback included, and every worker), so a test can check the steady
    /// state without counting what unrelated threads of the process allocate meanwhile.
    /// </summary>
    internal long LastRunAllocatedBytes { get; private set; }

    /// <summary>
    /// Sessions in flight: one per worker running, one more per worker framed ahead, one being framed
    /// and one spare so that a window finishing out of order does not stall the producer. The calling
    /// thread frames only when it wakes, and with every core busy running the model it waits for one:
    /// ≈ 0.9 ms per wake-up, 490 ms of a 1.07 s run (<c>YAMNET_PIPELINE_TRACE=1</c>, 10-minute file,
    /// 2 cores). With one window framed ahead per worker (workers + 2) the workers then ran out of
    /// framed windows for 4–10 % of their time; with two per worker, 0.3–4 % (issue 16).
    /// </summary>
    public int SessionCount => Workers == 1 ? 1 : 2 * Workers + 2;

    /// <summary>
    /// Classifies every window of <paramref name="source"/> (hop <paramref name="hop"/>) and calls
    /// <paramref name="onWindow"/> for each, in window order, on the calling thread.
    /// <paramref name="cancellationToken"/> is checked before each window is framed and before each is
    /// delivered (one worker or many): surfaces only as <see cref="OperationCanceledException"/>.
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
            return FileAnalyzer.Analyze(session, source, hop, onWindow, cancellationToken: cancellationToken);
        }
        if (source.SampleRate != _classifier.SampleRate)
            throw new ArgumentException($"the source delivers {source.SampleRate} Hz but the model expects {_classifier.SampleRate} Hz", nameof(source));

        var run = new Run(this, _classifier.RentSession, onWindow, SessionCount, cancellationToken);
        if (PipelineTrace.Enabled) run.Trace = new PipelineTrace(Workers);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            return run.Execute(new WindowFramer(source, _classifier.WindowLength, hop));
        }
        finally
        {
            LastRunAllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocated + Volatile.Read(ref run.WorkerAllocatedBytes);
            foreach (var s in run.AllSessions) s.Dispose();
        }
    }

    /// <summary>
    /// The state of one Analyze call. Window k lives in slot k % <see cref="SessionCount"/> from
    /// being framed until it is delivered, so order needs no queue. The calling thread frames
    /// windows into free slots and delivers finished ones in order (the callback runs there,
    /// outside any lock, while the workers go on); <see cref="Workers"/> threads only run the
    /// model. A worker takes the next framed window with one mostly uncontended lock and an
    /// interlocked increment, and wakes the calling thread only when it finishes the very window
    /// that thread is blocked on. (Measured alternative: the calling thread also running windows,
    /// one thread fewer. On the loaded 2-core machine its helper starved for framed windows
    /// whenever the calling thread was descheduled mid-run: 25 % of the helper's wall time against
    /// 3–5 % here, where the calling thread sleeps almost always and so is scheduled at once.)
    /// </summary>
    private sealed class Run
    {
        private const int Free = 0, Framed = 1, Done = 2, Failed = 3;

        private readonly WindowOutputsCallback _onWindow;
        private readonly Func<ClassifierSession> _rent;
        private readonly CancellationToken _cancellation;
        private readonly ClassifierSession[] _slots;
        private readonly AudioWindow[] _windows;    // the window framed into each slot
        private readonly int[] _state;              // Free → Framed (caller) → Done/Failed (whoever ran it) → Free (caller)
        private readonly Exception?[] _failures;    // why a slot's window Failed
        private readonly Permits _framed = new();   // one permit per framed, unclaimed window, plus one per worker to stop
        private readonly Permits _wake = new();     // the caller's sleep while its next window runs elsewhere
        private readonly int _workers;
        private int _claimed;                       // windows taken to run so far
        private int _waitingFor = -1;               // the window the caller sleeps on, or -1
        private int _end = int.MaxValue;            // windows framed in all, once framing stopped
        private volatile bool _stopping;

        /// <summary>Managed bytes the workers allocated, added by each as it exits (read after they are joined).</summary>
        internal long WorkerAllocatedBytes;

        internal Run(WindowPipeline owner, Func<ClassifierSession> rent, WindowOutputsCallback onWindow, int sessions, CancellationToken cancellation)
        {
            _onWindow = onWindow;
            _rent = rent;
            _cancellation = cancellation;
            _workers = owner.Workers;
            AllSessions = new List<ClassifierSession>(sessions);
            _slots = new ClassifierSession[sessions];
            _windows = new AudioWindow[sessions];
            _state = new int[sessions];
            _failures = new Exception?[sessions];
        }

        /// <summary>The sessions rented so far (the owner disposes them, returning them to the classifier).</summary>
        internal List<ClassifierSession> AllSessions { get; }

        internal PipelineTrace? Trace { get; set; }

        private long Now() => Trace is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();

        internal FileAnalysisStats Execute(WindowFramer framer)
        {
            var threads = new Thread[_workers];
            for (int i = 0; i < threads.Length; i++)
            {
                var stats = Trace?[i + 1];
                threads[i] = new Thread(() => WorkerLoop(stats)) { IsBackground = true, Name = "yamnet-infer-" + i };
                threads[i].Start();
            }
            int produced = 0, delivered = 0, n = _slots.Length;
            bool ended = false;
            var me = Trace?[0];
            me?.Begin();
            try
            {
                while (true)
                {
                    // Deliver what is finished, in order; a failed window ends the run with its error,
                    // after every window before it was delivered.
                    int next;
                    while (delivered < produced && Volatile.Read(ref _state[next = delivered % n]) >= Done)
                    {
                        if (_state[next] == Failed) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failures[next]!);
                        // Windows already run are not delivered once cancelled: a callback that cancels
                        // at window k sees no window after k, however many were in flight.
                        _cancellation.ThrowIfCancellationRequested();
                        long c0 = Now();
                        _onWindow(_windows[next], new WindowOutputs(_slots[next]));
                        if (me is not null) me.Callback += Now() - c0;
                        _state[next] = Free;
                        delivered++;
                    }
                    // Frame into every free slot, so the workers find the next windows ready.
                    while (!ended && produced - delivered < n)
                    {
                        _cancellation.ThrowIfCancellationRequested();
                        int slot = produced % n;
                        long t0 = Now();
                        var session = _slots[slot] ?? Rent(slot);
                        if (!framer.TryWriteNext(session.Input, out _windows[slot]))
                        {
                            ended = true;
                            break;
                        }
                        if (me is not null) me.Frame += Now() - t0;
                        Volatile.Write(ref _state[slot], Framed);
                        produced++;
                        _framed.Release();
                    }
                    if (delivered == produced) break;
                    long w0 = Now();
                    SleepUntilDone(delivered, delivered % n);
                    if (me is not null) me.Wait += Now() - w0;
                }
            }
            finally
            {
                me?.End();
                Stop(produced);
                foreach (var t in threads) t.Join();
                Trace?.Report(produced);
            }
            return new FileAnalysisStats(produced, framer.SamplesRead);
        }

        // Sessions are rented when their slot is first framed, not up front: the first windows run
        // while the spare sessions are still being built (an interpreter with XNNPACK packs its
        // weights: tens of ms each when the pool is cold, measured as 77–153 ms for three under load).
        private ClassifierSession Rent(int slot)
        {
            long t0 = Now();
            var session = _rent();
            AllSessions.Add(session);
            if (Trace is not null) Trace[0].Rent += Now() - t0;
            return _slots[slot] = session;
        }

        /// <summary>Runs window <paramref name="k"/> (already framed) and marks it Done or Failed; wakes the calling thread if it sleeps on it.</summary>
        private void RunWindow(int k, PipelineTrace.ThreadTimes? me)
        {
            int slot = k % _slots.Length;
            int outcome = Done;
            if (!_stopping)
            {
                try
                {
                    long t0 = Now();
                    _slots[slot].Run();
                    if (me is not null) { me.Busy += Now() - t0; me.Windows++; }
                }
                catch (Exception e)
                {
                    _failures[slot] = e;
                    outcome = Failed;
                }
            }
            Volatile.Write(ref _state[slot], outcome);
            if (Interlocked.CompareExchange(ref _waitingFor, -1, k) == k) _wake.Release();
        }

        // Dekker-style hand-shake: each side writes its flag, then (after a full fence) reads the
        // other's. Either the caller sees the window done, or the worker sees the caller waiting
        // and releases it; when both happen the caller consumes the release it was given.
        private void SleepUntilDone(int window, int slot)
        {
            Interlocked.Exchange(ref _waitingFor, window);
            if (Volatile.Read(ref _state[slot]) >= Done && Interlocked.CompareExchange(ref _waitingFor, -1, window) == window) return;
            _wake.Wait();
            if (Trace is not null) Trace[0].Sleeps++;
        }

        /// <summary>
        /// Lets every worker finish and exit: windows framed but not yet taken are skipped (on an
        /// early stop: failure, cancellation, a throwing callback), and one extra permit per worker
        /// makes each take an index past the last window, which ends its loop.
        /// </summary>
        private void Stop(int produced)
        {
            _stopping = true;
            Volatile.Write(ref _end, produced);
            _framed.Release(_workers);
        }

        private void WorkerLoop(PipelineTrace.ThreadTimes? me)
        {
            me?.Begin();
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                while (true)
                {
                    long t0 = Now();
                    _framed.Wait();
                    if (me is not null) me.Wait += Now() - t0;
                    int k = Interlocked.Increment(ref _claimed) - 1;
                    if (k >= Volatile.Read(ref _end)) return;
                    RunWindow(k, me);
                }
            }
            finally
            {
                Interlocked.Add(ref WorkerAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - allocated);
                me?.End();
            }
        }
    }
}
