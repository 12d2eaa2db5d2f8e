namespace Yamnet.Classification;

/// <summary>
/// A counting semaphore on Monitor that pulses only when a thread is actually waiting.
/// SemaphoreSlim was seen allocating now and then in a two-thread hand-off test (7 KB over
/// 10,000 hand-offs, and ~30-60 B per window in the enumeration rendezvous on a loaded machine);
/// Monitor.Wait/Pulse allocated nothing there. Used wherever a thread hands windows to another.
/// </summary>
internal sealed class Permits
{
    private readonly object _gate = new();
    private int _count, _waiters;

    internal Permits(int initial = 0) => _count = initial;

    internal void Release(int permits = 1)
    {
        lock (_gate)
        {
            _count += permits;
            if (_waiters == 0) return;
            if (permits == 1) Monitor.Pulse(_gate);
            else Monitor.PulseAll(_gate);
        }
    }

    internal void Wait()
    {
        lock (_gate)
        {
            while (_count == 0)
            {
                _waiters++;
                Monitor.Wait(_gate);
                _waiters--;
            }
            _count--;
        }
    }
}
