using Yamnet.Live;

namespace Yamnet.Service.Processing;

/// <summary>A live source that also keeps what it delivers in a <see cref="SampleHistory"/> (for saved clips) and notes when the last samples came.</summary>
internal sealed class RecordingSource(ILiveSource inner, SampleHistory? history) : ILiveSource
{
    private long _lastDataTicks = Environment.TickCount64;

    public string Name => inner.Name;

    public int SampleRate => inner.SampleRate;

    public long Overruns => inner.Overruns;

    /// <summary>Wall clock (UTC) of the first sample; null until one came.</summary>
    public DateTimeOffset? FirstSampleUtc { get; private set; }

    /// <summary>Environment.TickCount64 when samples last arrived.</summary>
    public long LastDataTicks => Interlocked.Read(ref _lastDataTicks);

    public int Read(Span<float> destination, CancellationToken cancellationToken)
    {
        int n = inner.Read(destination, cancellationToken);
        if (n > 0)
        {
            FirstSampleUtc ??= DateTimeOffset.UtcNow - TimeSpan.FromSeconds(n / (double)SampleRate);
            history?.Append(destination[..n]);
            Interlocked.Exchange(ref _lastDataTicks, Environment.TickCount64);
        }
        return n;
    }

    public void Dispose() => inner.Dispose();
}
