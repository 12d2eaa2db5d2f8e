namespace Yamnet.Audio;

/// <summary>
/// Pulls mono chunks from a source, pushes them through libsoxr and drains the filter tail once the
/// source ends. The one place that owns the "decode a chunk, offer what soxr did not consume again,
/// flush at the end" loop, shared by the file/stream reader and the in-memory sample source.
/// </summary>
internal sealed class ChunkedResampler : IDisposable
{
    private const int ChunkFrames = 4096;

    private readonly IMonoChunkSource _source;
    private readonly Resampler _resampler;
    private readonly float[] _chunk = new float[ChunkFrames];
    private int _start, _count;
    private bool _sourceEnded, _flushed;

    internal ChunkedResampler(IMonoChunkSource source, int sourceRate, int targetRate)
    {
        _source = source;
        _resampler = new Resampler(sourceRate, targetRate, 1);
    }

    /// <summary>Fills destination with resampled frames; fewer (then 0) only at the end of the signal.</summary>
    internal int Read(Span<float> destination)
    {
        int written = 0;
        while (written < destination.Length)
        {
            if (_count == 0 && !_sourceEnded)
            {
                _start = 0;
                _count = _source.DecodeMono(_chunk);
                if (_count == 0) _sourceEnded = true;
            }

            if (_count > 0)
            {
                _resampler.Process(_chunk.AsSpan(_start, _count), destination[written..], out int consumed, out int produced);
                _start += consumed;
                _count -= consumed;
                written += produced;
                continue;
            }

            if (_flushed) break;
            int tail = _resampler.Flush(destination[written..]);
            if (tail == 0)
            {
                _flushed = true;
                break;
            }
            written += tail;
        }
        return written;
    }

    public void Dispose() => _resampler.Dispose();
}
