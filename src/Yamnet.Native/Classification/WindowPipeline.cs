using Yamnet.Audio;

namespace Yamnet.Classification;

/// <summary>
/// Classifies one sample stream on several interpreters at once, in a bounded pipeline:
/// decode → frame → infer → ordered results.
/// <para>
/// Each worker thread owns one session (a lease of the classifier, <see cref="AudioClassifier.RentSession"/>)
/// for the whole run: it frames the next window straight into that session's input tensor (one
/// worker at a time, since the source is read in order), runs it, and copies the outputs into the
/// window's slot (<c>WindowOutputSlots</c>), so its interpreter takes the next window at once. The
/// calling thread hands finished windows to the callback strictly in window order, outside any lock,
/// while the workers go on. There are <see cref="SlotCount"/> slots, so at most that many windows are
/// in flight, memory is flat for any duration, and nothing is allocated per window in steady state
/// (no queues that grow, no per-window tasks).
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
    /// Interpreters one run uses: one per worker, each kept by its worker for the whole run. (Issue 16:
    /// with one interpreter per window in flight, 2·workers + 2, each worker cycled through three and
    /// paid 7–13 % more CPU per window than with one hot interpreter: on two cores that was most of
    /// the gap to the machine's own scaling.)
    /// </summary>
    public int SessionCount => Workers;

    /// <summary>
    /// Windows in flight at most: framed or run but not yet delivered. Four per worker lets the
    /// calling thread be late by a few windows (it waits for a core whenever both run the model:
    /// ≈ 0.8 ms per wake-up on the 2-core machine) without stalling any worker; a slot is only a
    /// copy of the outputs, 2 KB with scores alone.
    /// </summary>
    internal int SlotCount => 4 * Workers;

    /// <summary>
    /// Most windows the calling thread lets finish before it wakes. Each wake-up of the calling thread
    /// takes a core from a worker mid-run: one per window was ≈ 1 100 wake-ups and up to 2 800
    /// preemptions of one worker in a 10-minute file (1 228 windows); now 410–640 wake-ups.
    /// </summary>
    private const int DeliveryBatch = 4;

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

        var framer = new WindowFramer(source, _classifier.WindowLength, hop);
        using var outputs = new WindowOutputSlots(_classifier, SlotCount);
        var run = new Run(Workers, _classifier.RentSession, framer, outputs, onWindow, SlotCount, cancellationToken);
        if (PipelineTrace.Enabled) run.Trace = new PipelineTrace(Workers);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            return run.Execute();
        }
        finally
        {
            LastRunAllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocated + Volatile.Read(ref run.WorkerAllocatedBytes);
            foreach (var s in run.Sessions) s?.Dispose();
        }
    }

    /// <summary>
    /// The state of one Analyze call. Window k lives in slot k % <see cref="SlotCount"/> from being
    /// framed until it is delivered, so order needs no queue. A worker takes a free-slot permit, then
    /// the framing lock (held ≈ 15–70 µs per window against 1.3–2.4 ms for a run, so rarely contended),
    /// frames into its own input tensor, and runs; it wakes the calling thread only when it finishes
    /// the very window that thread sleeps on. The calling thread only delivers. (Measured before:
    /// the calling thread framing for the workers into one interpreter per slot, and the calling
    /// thread also running windows; see <see cref="SessionCount"/> and docs/PERFORMANCE.md.)
    /// </summary>
    private sealed class Run
    {
        private const int Free = 0, Done = 1, Failed = 2, Ended = 3;

        private readonly WindowOutputsCallback _onWindow;
        private readonly Func<ClassifierSession> _rent;
        private readonly CancellationToken _cancellation;
        private readonly WindowFramer _framer;
        private readonly WindowOutputSlots _outputs;
        private readonly object _framing = new();   // the framer, _produced and _ended: one worker frames at a time
        private readonly AudioWindow[] _windows;    // the window framed into each slot
        private readonly int[] _state;              // Free → Done/Failed/Ended (a worker) → Free (caller)
        private readonly Exception?[] _failures;    // why a slot's window Failed
        private readonly Permits _free;             // one permit per slot holding no undelivered window, plus one per worker to stop
        private readonly Permits _wake = new();     // the caller's sleep while its next window runs
        private readonly int _slotCount;
        private int _produced;                      // windows framed so far (under _framing)
        private volatile bool _ended;               // no more windows are framed (set under _framing, except to stop)
        private int _waitingFor = -1;               // the window the caller sleeps on, or -1
        private volatile bool _stopping;

        /// <summary>Managed bytes the workers allocated, added by each as it exits (read after they are joined).</summary>
        internal long WorkerAllocatedBytes;

        internal Run(int workers, Func<ClassifierSession> rent, WindowFramer framer, WindowOutputSlots outputs, WindowOutputsCallback onWindow, int slots, CancellationToken cancellation)
        {
            _onWindow = onWindow;
            _rent = rent;
            _framer = framer;
            _outputs = outputs;
            _cancellation = cancellation;
            _slotCount = slots;
            Sessions = new ClassifierSession?[workers];
            _windows = new AudioWindow[slots];
            _state = new int[slots];
            _failures = new Exception?[slots];
            _free = new Permits(slots);
        }

        /// <summary>Each worker's session once it has one (the owner disposes them after the run, returning them to the classifier).</summary>
        internal ClassifierSession?[] Sessions { get; }

        internal PipelineTrace? Trace { get; set; }

        private long Now() => Trace is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();

        internal FileAnalysisStats Execute()
        {
            var threads = new Thread[Sessions.Length];
            for (int i = 0; i < threads.Length; i++)
            {
                int index = i;
                threads[i] = new Thread(() => WorkerLoop(index, Trace?[index + 1])) { IsBackground = true, Name = "yamnet-infer-" + i };
                threads[i].Start();
            }
            int delivered = 0;
            var me = Trace?[0];
            me?.Begin();
            try
            {
                while (true)
                {
                    int slot = delivered % _slotCount;
                    int state = Volatile.Read(ref _state[slot]);
                    if (state == Free)
                    {
                        // Sleep until the newest window already framed is done (at most DeliveryBatch
                        // ahead) and deliver them together: with every worker busy that is one wake-up
                        // per round of the workers' windows instead of one per window (0.34–0.52 per window
                        // with 2 workers), and never a wait for audio that has not been read yet.
                        int target = Math.Max(delivered, Math.Min(delivered + DeliveryBatch - 1, Volatile.Read(ref _produced) - 1));
                        long w0 = Now();
                        SleepUntilPublished(target, target % _slotCount);
                        if (me is not null) me.Wait += Now() - w0;
                        continue;
                    }
                    // A failed window (or framing, or a worker's start) ends the run with its error,
                    // after every window before it was delivered.
                    if (state == Failed) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failures[slot]!);
                    if (state == Ended) break;
                    // Windows already run are not delivered once cancelled: a callback that cancels
                    // at window k sees no window after k, however many were in flight.
                    _cancellation.ThrowIfCancellationRequested();
                    long c0 = Now();
                    _onWindow(_windows[slot], new WindowOutputs(_outputs, slot));
                    if (me is not null) me.Callback += Now() - c0;
                    Volatile.Write(ref _state[slot], Free);
                    delivered++;
                    _free.Release();
                }
            }
            finally
            {
                me?.End();
                Stop();
                foreach (var t in threads) t.Join();
                Trace?.Report(delivered);
            }
            return new FileAnalysisStats(delivered, _framer.SamplesRead);
        }

        private void WorkerLoop(int index, PipelineTrace.ThreadTimes? me)
        {
            me?.Begin();
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                // Each worker builds or rents its own interpreter, so the spare ones are built in
                // parallel, off the calling thread, while the first worker already runs windows.
                long r0 = Now();
                ClassifierSession session;
                try
                {
                    session = Sessions[index] = _rent();
                }
                catch (Exception e)
                {
                    _free.Wait();
                    lock (_framing)
                    {
                        if (!_ended) EndWith(_produced, Failed, e);
                    }
                    return;
                }
                if (me is not null) me.Rent += Now() - r0;
                while (true)
                {
                    long t0 = Now();
                    _free.Wait();
                    if (me is not null) me.Wait += Now() - t0;
                    if (_stopping) return;
                    int k, slot;
                    lock (_framing)
                    {
                        if (_ended) return;
                        k = _produced;
                        slot = k % _slotCount;
                        long f0 = Now();
                        try
                        {
                            if (_cancellation.IsCancellationRequested)
                            {
                                EndWith(k, Failed, new OperationCanceledException(_cancellation));
                                return;
                            }
                            if (!_framer.TryWriteNext(session.Input, out _windows[slot]))
                            {
                                EndWith(k, Ended, null);
                                return;
                            }
                        }
                        catch (Exception e)
                        {
                            EndWith(k, Failed, e);
                            return;
                        }
                        Volatile.Write(ref _produced, k + 1);
                        if (me is not null) me.Frame += Now() - f0;
                    }
                    if (!RunWindow(k, slot, session, me)) return;
                }
            }
            finally
            {
                Interlocked.Add(ref WorkerAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - allocated);
                me?.End();
            }
        }

        /// <summary>Runs window <paramref name="k"/> (framed into <paramref name="session"/>) and publishes it; false when it failed.</summary>
        private bool RunWindow(int k, int slot, ClassifierSession session, PipelineTrace.ThreadTimes? me)
        {
            // Once stopping, the caller delivers nothing more: the window is published unrun.
            if (_stopping)
            {
                Publish(k, slot, Done);
                return true;
            }
            try
            {
                long t0 = Now();
                session.Run();
                _outputs.CopyFrom(slot, session);
                if (me is not null) { me.Busy += Now() - t0; me.Windows++; }
            }
            catch (Exception e)
            {
                _ended = true;
                _failures[slot] = e;
                Publish(k, slot, Failed);
                return false;
            }
            Publish(k, slot, Done);
            return true;
        }

        /// <summary>Stops framing; window <paramref name="k"/>'s slot (free: its permit is held) says why. Under <see cref="_framing"/>.</summary>
        private void EndWith(int k, int state, Exception? failure)
        {
            _ended = true;
            int slot = k % _slotCount;
            _failures[slot] = failure;
            Publish(k, slot, state);
        }

        // A window at or past the one the caller sleeps on wakes it (windows finish slightly out of
        // order: it then delivers what is done and sleeps again); so does any end or failure, which
        // may come before the window it waits for.
        private void Publish(int k, int slot, int state)
        {
            Interlocked.Exchange(ref _state[slot], state); // a full fence before reading _waitingFor (see SleepUntilPublished)
            int waiting = Volatile.Read(ref _waitingFor);
            if (waiting >= 0 && (waiting <= k || state != Done) && Interlocked.CompareExchange(ref _waitingFor, -1, waiting) == waiting) _wake.Release();
        }

        // Dekker-style hand-shake: each side writes its flag, then (after a full fence) reads the
        // other's. Either the caller sees the window published, or the worker sees the caller waiting
        // and releases it; when both happen the caller consumes the release it was given.
        private void SleepUntilPublished(int window, int slot)
        {
            Interlocked.Exchange(ref _waitingFor, window);
            if (Volatile.Read(ref _state[slot]) != Free && Interlocked.CompareExchange(ref _waitingFor, -1, window) == window) return;
            _wake.Wait();
            if (Trace is not null) Trace[0].Sleeps++;
        }

        /// <summary>
        /// Lets every worker finish and exit: nothing more is framed, windows framed but not yet run
        /// are published unrun (on an early stop: failure, cancellation, a throwing callback), and
        /// one extra permit per worker wakes any worker waiting for a free slot.
        /// </summary>
        private void Stop()
        {
            _stopping = true;
            _ended = true;
            _free.Release(Sessions.Length);
        }
    }
}
