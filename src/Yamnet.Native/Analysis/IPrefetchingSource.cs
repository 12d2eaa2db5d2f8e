namespace Yamnet.Analysis;

/// <summary>
/// A sample source whose reads wait on I/O (a stream): it can fetch ahead asynchronously, so the
/// synchronous <see cref="Audio.ISampleSource.Read"/> that follows is served from memory.
/// </summary>
internal interface IPrefetchingSource
{
    /// <summary>Buffers at least <paramref name="samples"/> output samples (fewer at the end of the input).</summary>
    ValueTask PrefetchAsync(int samples, CancellationToken cancellationToken);
}
