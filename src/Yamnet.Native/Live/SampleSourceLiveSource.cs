using Yamnet.Audio;

namespace Yamnet.Live;

/// <summary>
/// Presents a pull <see cref="ISampleSource"/> (a decoded file, an array) as a live source, so the live
/// pipeline can be driven and tested from known audio. Reads never block, so cancellation is only
/// checked between reads.
/// </summary>
public sealed class SampleSourceLiveSource(ISampleSource source, string name, bool leaveOpen = false) : ILiveSource
{
    public string Name { get; } = name;

    public int SampleRate => source.SampleRate;

    public long Overruns => 0;

    public int Read(Span<float> destination, CancellationToken cancellationToken)
        => cancellationToken.IsCancellationRequested ? 0 : source.Read(destination);

    public void Dispose()
    {
        if (!leaveOpen) source.Dispose();
    }
}
