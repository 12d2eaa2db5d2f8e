using System.Collections.Concurrent;
using System.Diagnostics;
using Yamnet.Audio;

namespace Yamnet.Live;

/// <summary>What the capture side does when every queue slot is taken (the consumer is behind).</summary>
public enum OverflowPolicy
{
    /// <summary>Drop the new window whole and count it: results stay in step with the input (real time).</summary>
    Drop,

    /// <summary>Wait for a free slot: nothing is lost, and a pipe's writer is slowed down instead.</summary>
    Block,
}

/// <summary>A run of consecutive dropped windows.</summary>
public readonly record struct DropBurst(int FirstWindow, int Count, double StartSeconds, double EndSeconds);

/// <summary>Receives one window's samples. The span is a queue slot: valid only during the call.</summary>
public delegate void LiveWindowCallback(in AudioWindow window, ReadOnlySpan<float> samples);

/// <summary>How a <see cref="LiveWindowPump"/> behaves.</summary>
public sealed record LivePumpOptions
{
    /// <summary>Windows that may wait between capture and consumer (plus the one being consumed), at least 1.</summary>
    public int QueueCapacity { get; init; } = 4;

    public OverflowPolicy Overflow { get; init; } = OverflowPolicy.Drop;

    /// <summary>Stop after this many samples as if the input had ended there (the last window is flushed).</summary>
    public long MaxSamples { get; init; } = long.MaxValue;

    /// <summary>Called on the capture thread when a burst of dropped windows ends (or at the end of capture).</summary>
    public Action<DropBurst>? OnDropBurst { get; init; }

    /// <summary>
    /// Called on the capture thread once capture is over and the last window was queued or dropped,
    /// before the consumer is told no more windows come. Lets a caller (or a test) synchronise with the producer.
    /// </summary>
    public Action? OnCaptureEnded { get; init; }
}

/// <summary>What a <see cref="LiveWindowPump.Run"/> went through.</summary>
/// <param name="WindowsProduced">Windows the input made (consumed + dropped).</param>
/// <param name="WindowsConsumed">Windows handed to the consumer.</param>
/// <param name="WindowsDropped">Whole windows dropped because the consumer was behind.</param>
/// <param name="DropBursts">Runs of consecutive drops.</param>
/// <param name="Samples">Samples captured (stream time = Samples / SampleRate).</param>
/// <param name="SampleRate">Rate of the samples.</param>
/// <param name="Overruns">Device overruns recovered (audio lost before capture).</param>
/// <param name="EndOfInput">True when the input ended (or MaxSamples was reached); false when stopped or failed.</param>
/// <param name="Wall">Wall-clock time of the run.</param>
public sealed record LiveStats(
    int WindowsProduced, int WindowsConsumed, int WindowsDropped, int DropBursts, long Samples, int SampleRate,
    long Overruns, bool EndOfInput, TimeSpan Wall)
{
    public double AudioSeconds => Samples / (double)SampleRate;
}

/// <summary>
/// Frames a live source into overlapping windows on a capture thread and hands them to a consumer on
/// the calling thread through a bounded queue of preallocated window slots.
/// <para>
/// The capture thread reads straight into a ring of exactly one window (the last W samples); each
/// time a hop of new samples completes window k (k·hop + W samples seen), it copies the ring into a
/// free slot and queues it. When no slot is free the window is dropped whole (or, with
/// <see cref="OverflowPolicy.Block"/>, the capture waits). Window indices and times come from the
/// sample count, so a drop leaves a gap in the indices but never shifts the timeline.
/// </para>
/// <para>
/// The windows are those of <see cref="WindowFramer"/>: window k starts at k·hop; at the end of the
/// input one more zero-padded window is emitted if it holds samples no earlier window had (window 0
/// if any sample came at all), so a finite input gives max(1, ceil((N − W)/hop) + 1) windows. A stop
/// (cancellation) emits no padded window.
/// </para>
/// </summary>
public sealed class LiveWindowPump
{
    private readonly int _window;
    private readonly int _hop;
    private readonly LivePumpOptions _options;

    public LiveWindowPump(int windowLength, int hop, LivePumpOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hop);
        if (hop > windowLength)
            throw new ArgumentOutOfRangeException(nameof(hop), hop, $"Hop ({hop}) must not exceed the window length ({windowLength}).");
        options ??= new LivePumpOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.QueueCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxSamples);
        _window = windowLength;
        _hop = hop;
        _options = options;
    }

    public int WindowLength => _window;

    public int Hop => _hop;

    /// <summary>
    /// Captures from <paramref name="source"/> until it ends, <paramref name="cancellationToken"/> is
    /// cancelled, or either side fails, calling <paramref name="consumer"/> for each window in order.
    /// Windows already queued when a stop arrives are still consumed. A source or consumer exception
    /// is rethrown here after the other side has been told to stop.
    /// </summary>
    public LiveStats Run(ILiveSource source, LiveWindowCallback consumer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(consumer);
        var clock = Stopwatch.StartNew();
        // Not disposed with 'using': a capture thread left blocked in an uninterruptible read (see
        // below) may still touch them after Run returns; they are disposed only once it has finished.
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var free = new BlockingCollection<Slot>(new ConcurrentQueue<Slot>(), _options.QueueCapacity);
        var ready = new BlockingCollection<Slot>(new ConcurrentQueue<Slot>(), _options.QueueCapacity);
        for (int i = 0; i < _options.QueueCapacity; i++) free.Add(new Slot(_window));

        var producer = new Producer(this, source, free, ready, stop.Token);
        var thread = new Thread(producer.Run) { IsBackground = true, Name = "yamnet-capture" };
        thread.Start();

        int consumed = 0;
        Exception? consumerError = null;
        try
        {
            while (true)
            {
                Slot? slot;
                try
                {
                    if (!ready.TryTake(out slot, Timeout.Infinite, cancellationToken)) break; // completed and empty
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                Consume(slot);
            }
            // Stopped: what was already captured and queued is still reported.
            while (ready.TryTake(out var slot)) Consume(slot);
        }
        catch (Exception e)
        {
            consumerError = e;
        }
        stop.Cancel();
        // The capture thread notices the stop within one read, except when it is blocked in a read
        // that cannot be interrupted (a pipe's read(2)); it is a background thread, so it is then left
        // to end with the process rather than holding the caller (and the summary) hostage.
        bool finished = producer.Finished.Wait(TimeSpan.FromSeconds(1));
        if (finished)
        {
            stop.Dispose();
            free.Dispose();
            ready.Dispose();
            if (producer.Error is { } error && consumerError is null) throw error;
        }
        if (consumerError is not null) throw consumerError;
        clock.Stop();
        return new LiveStats(producer.Produced, consumed, producer.Dropped, producer.Bursts, Interlocked.Read(ref producer.Received),
            source.SampleRate, source.Overruns, producer.EndOfInput, clock.Elapsed);

        void Consume(Slot slot)
        {
            consumer(slot.Window, slot.Samples);
            consumed++;
            free.Add(slot);
        }
    }

    private sealed class Slot(int length)
    {
        public readonly float[] Samples = new float[length];
        public AudioWindow Window;
    }

    /// <summary>The capture thread's state.</summary>
    private sealed class Producer(LiveWindowPump pump, ILiveSource source, BlockingCollection<Slot> free, BlockingCollection<Slot> ready, CancellationToken stop)
    {
        private readonly float[] _ring = new float[pump._window];
        private int _next;               // index of the next window to complete
        private int _burstFirst = -1;
        private int _burstCount;

        public long Received;            // samples captured (read by the consumer side at the end)
        public int Produced;
        public int Dropped;
        public int Bursts;
        public bool EndOfInput;
        public Exception? Error;
        public readonly ManualResetEventSlim Finished = new();

        public void Run()
        {
            try
            {
                Capture();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped while waiting for a slot (Block policy).
            }
            catch (Exception e)
            {
                Error = e;
            }
            try
            {
                EndBurst();
                pump._options.OnCaptureEnded?.Invoke();
            }
            catch (Exception e)
            {
                Error ??= e;
            }
            finally
            {
                try
                {
                    ready.CompleteAdding();
                }
                catch (ObjectDisposedException)
                {
                    // Run already returned without this thread (it was abandoned in a blocking read).
                }
                Finished.Set();
            }
        }

        private void Capture()
        {
            int w = pump._window, hop = pump._hop;
            long max = pump._options.MaxSamples;
            long received = 0;
            while (true)
            {
                // Read no further than the end of the next window, so every completed window is emitted
                // while its samples are still the last W in the ring.
                long windowEnd = (long)_next * hop + w;
                long want = Math.Min(windowEnd - received, max - received);
                if (want <= 0)
                {
                    EndOfInput = true; // MaxSamples reached
                    break;
                }
                int pos = (int)(received % w);
                int n = source.Read(_ring.AsSpan(pos, (int)Math.Min(want, w - pos)), stop);
                if (n <= 0)
                {
                    EndOfInput = !stop.IsCancellationRequested;
                    break;
                }
                received += n;
                Interlocked.Exchange(ref Received, received);
                if (received == windowEnd) Emit(received, received);
            }
            if (!EndOfInput || received == 0) return;
            // End of input: one more zero-padded window if it holds unseen samples (window 0: any sample at all).
            long previousEnd = _next == 0 ? 0 : (long)(_next - 1) * hop + w;
            if (received > previousEnd) Emit(received, received);
        }

        /// <summary>Queues (or drops) window <see cref="_next"/>, whose real samples end at <paramref name="validEnd"/>.</summary>
        private void Emit(long validEnd, long received)
        {
            int index = _next++;
            Produced++;
            int w = pump._window;
            long start = (long)index * pump._hop;
            double rate = source.SampleRate;
            var window = new AudioWindow(index, start, start / rate, Math.Min(start + w, validEnd) / rate);

            Slot? slot;
            if (pump._options.Overflow == OverflowPolicy.Block) slot = free.Take(stop);
            else if (!free.TryTake(out slot))
            {
                Dropped++;
                if (_burstCount++ == 0) _burstFirst = index;
                return;
            }
            EndBurst();

            // The ring holds samples [received - w, received) with sample j at j % w; the window is
            // [start, start + w), of which [start, validEnd) is real and the rest zero padding.
            int real = (int)(Math.Min(validEnd, start + w) - start);
            var dst = slot.Samples.AsSpan();
            int from = (int)(start % w);
            int first = Math.Min(real, w - from);
            _ring.AsSpan(from, first).CopyTo(dst);
            _ring.AsSpan(0, real - first).CopyTo(dst[first..]);
            dst[real..].Clear();
            slot.Window = window;
            ready.Add(slot);
        }

        private void EndBurst()
        {
            if (_burstCount == 0) return;
            int first = _burstFirst, count = _burstCount;
            _burstCount = 0;
            Bursts++;
            double rate = source.SampleRate;
            long start = (long)first * pump._hop;
            long end = (long)(first + count - 1) * pump._hop + pump._window;
            pump._options.OnDropBurst?.Invoke(new DropBurst(first, count, start / rate, Math.Min(end, Interlocked.Read(ref Received)) / rate));
        }
    }
}
