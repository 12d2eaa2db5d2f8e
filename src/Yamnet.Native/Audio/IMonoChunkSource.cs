namespace Yamnet.Audio;

/// <summary>A decoder that delivers mono frames at its own rate, in chunks, until it returns 0.</summary>
internal interface IMonoChunkSource
{
    /// <summary>Writes up to destination.Length mono frames; 0 means the source has ended.</summary>
    int DecodeMono(Span<float> destination);
}
