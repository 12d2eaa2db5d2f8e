namespace Yamnet.Service.Outputs;

/// <summary>
/// A bounded FIFO between the listener and an output that may be slow or away (a broker down, a
/// webhook failing). When full, the oldest item is dropped and counted: recent events matter more
/// than old ones. The consumer peeks, delivers, and only then removes, so an item whose delivery
/// failed is retried, never lost.
/// </summary>
public sealed class BoundedOutbox<T>(int capacity)
{
    private readonly Queue<T> _items = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _signal = new(0);
    private long _dropped;
    private long _delivered;

    public int Capacity { get; } = capacity;

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Delivered => Interlocked.Read(ref _delivered);

    public int Count
    {
        get
        {
            lock (_lock) return _items.Count;
        }
    }

    /// <summary>Adds an item; returns false when the oldest had to be dropped to make room.</summary>
    public bool Enqueue(T item)
    {
        bool dropped = false;
        lock (_lock)
        {
            if (_items.Count >= Capacity)
            {
                _items.Dequeue();
                Interlocked.Increment(ref _dropped);
                dropped = true;
            }
            _items.Enqueue(item);
        }
        _signal.Release();
        return !dropped;
    }

    public bool TryPeek(out T item)
    {
        lock (_lock) return _items.TryPeek(out item!);
    }

    /// <summary>Removes the head after it was delivered (it is still the head: only the consumer removes, and a drop only happens when full).</summary>
    public void MarkDelivered(T item)
    {
        lock (_lock)
        {
            if (_items.TryPeek(out var head) && ReferenceEquals(head, item)) _items.Dequeue();
        }
        Interlocked.Increment(ref _delivered);
    }

    /// <summary>Waits until something may have been added, or the timeout/cancellation.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _signal.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Wakes the consumer (a stop, a level to send).</summary>
    public void Poke() => _signal.Release();
}
