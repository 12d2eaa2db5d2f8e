using Yamnet.TfLite;

namespace Yamnet.Classification;

/// <summary>
/// Idle interpreters of one classifier, handed out by <see cref="AudioClassifier.RentSession"/>.
/// Internal on purpose: callers see only <see cref="ClassifierSession"/> leases, so no pool type
/// (ours or a package's) is part of the public API and nothing can be returned twice or after
/// the classifier is gone. A lock and a stack: renting is rare next to running windows.
/// </summary>
internal sealed class SessionPool : IDisposable
{
    private readonly object _gate = new();
    private readonly Stack<TfLiteInterpreter> _idle = new();
    private readonly Func<TfLiteInterpreter> _create;
    private readonly int _maxIdle;
    private bool _closed;

    internal SessionPool(Func<TfLiteInterpreter> create, int maxIdle)
    {
        _create = create;
        _maxIdle = maxIdle;
    }

    /// <summary>Interpreters waiting to be rented.</summary>
    internal int IdleCount
    {
        get { lock (_gate) return _idle.Count; }
    }

    /// <summary>An idle interpreter, or a new one when none is idle.</summary>
    internal TfLiteInterpreter Rent(object owner)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, owner);
            if (_idle.TryPop(out var idle)) return idle;
        }
        // Created outside the lock: building an interpreter (and its delegate) takes milliseconds.
        return _create();
    }

    /// <summary>Takes an interpreter back; disposes it when the pool is full or closed, or it is broken.</summary>
    internal void Return(TfLiteInterpreter interpreter)
    {
        if (interpreter.IsDisposed) return;
        lock (_gate)
        {
            if (!_closed && _idle.Count < _maxIdle)
            {
                _idle.Push(interpreter);
                return;
            }
        }
        interpreter.Dispose();
    }

    /// <summary>Disposes every idle interpreter; leases still out keep working and are disposed when returned.</summary>
    public void Dispose()
    {
        TfLiteInterpreter[] idle;
        lock (_gate)
        {
            _closed = true;
            idle = _idle.ToArray();
            _idle.Clear();
        }
        foreach (var i in idle) i.Dispose();
    }
}
