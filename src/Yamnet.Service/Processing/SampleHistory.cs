namespace Yamnet.Service.Processing;

/// <summary>
/// The last <see cref="Capacity"/> samples of a source, indexed by absolute sample number, so a clip
/// can be cut from them after its event ended (pre-roll + event + post-roll). Written by the capture
/// thread, read by the consumer: a lock guards both (a copy of one read's worth of samples).
/// Memory is fixed: capacity × 4 bytes.
/// </summary>
public sealed class SampleHistory(int capacity)
{
    private readonly float[] _ring = new float[capacity];
    private readonly Lock _lock = new();
    private long _written;

    public int Capacity => _ring.Length;

    /// <summary>Samples appended so far (the absolute index of the next one).</summary>
    public long Written
    {
        get
        {
            lock (_lock) return _written;
        }
    }

    public void Append(ReadOnlySpan<float> samples)
    {
        lock (_lock)
        {
            if (samples.Length > _ring.Length) samples = samples[^_ring.Length..];
            int pos = (int)(_written % _ring.Length);
            int first = Math.Min(samples.Length, _ring.Length - pos);
            samples[..first].CopyTo(_ring.AsSpan(pos));
            samples[first..].CopyTo(_ring);
            _written += samples.Length;
        }
    }

    /// <summary>Copies samples [<paramref name="start"/>, <paramref name="end"/>) that are still held; returns the first index actually copied.</summary>
    public long CopyRange(long start, long end, List<float> into)
    {
        lock (_lock)
        {
            start = Math.Max(start, Math.Max(0, _written - _ring.Length));
            end = Math.Min(end, _written);
            for (long i = start; i < end; i++) into.Add(_ring[(int)(i % _ring.Length)]);
            return start;
        }
    }
}
