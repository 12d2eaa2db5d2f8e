namespace Yamnet.Audio;

/// <summary>An <see cref="ISampleSource"/> over samples already in memory (tests, apps with their own capture).</summary>
public sealed class ArraySampleSource : ISampleSource
{
    private readonly ReadOnlyMemory<float> _samples;
    private int _position;

    public ArraySampleSource(ReadOnlyMemory<float> samples, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        _samples = samples;
        SampleRate = sampleRate;
    }

    public int SampleRate { get; }

    /// <summary>Samples not yet read.</summary>
    public int Remaining => _samples.Length - _position;

    public int Read(Span<float> destination)
    {
        int n = Math.Min(destination.Length, _samples.Length - _position);
        _samples.Span.Slice(_position, n).CopyTo(destination);
        _position += n;
        return n;
    }

    public void Dispose()
    {
        // Nothing to release: the memory belongs to the caller.
    }
}
