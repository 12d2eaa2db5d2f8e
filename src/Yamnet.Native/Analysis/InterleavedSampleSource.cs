using Yamnet.Audio;

namespace Yamnet.Analysis;

/// <summary>
/// In-memory float samples (any rate, any channel count) as a mono source at the model's rate:
/// frames are averaged chunk by chunk and, when the rates differ, resampled by libsoxr (streaming),
/// so a long buffer is never copied whole. Mono at the target rate is read straight from the memory.
/// </summary>
internal sealed class InterleavedSampleSource : ISampleSource
{
    private const int ChunkFrames = 4096;

    private readonly ReadOnlyMemory<float> _samples;
    private readonly int _channels;
    private readonly Resampler? _resampler;
    private readonly float[]? _mono;
    private int _frame;            // next frame of _samples to read
    private int _monoStart, _monoCount;
    private bool _flushed;

    internal InterleavedSampleSource(ReadOnlyMemory<float> samples, int sampleRate, int channels, int targetRate)
    {
        _samples = samples;
        _channels = channels;
        SampleRate = targetRate;
        if (sampleRate != targetRate)
        {
            _resampler = new Resampler(sampleRate, targetRate, 1);
            _mono = new float[ChunkFrames];
        }
    }

    public int SampleRate { get; }

    private int Frames => _samples.Length / _channels;

    public int Read(Span<float> destination)
    {
        if (destination.IsEmpty) return 0;
        if (_resampler is null) return DecodeMono(destination);
        int written = 0;
        while (written < destination.Length)
        {
            if (_monoCount == 0 && _frame < Frames)
            {
                _monoStart = 0;
                _monoCount = DecodeMono(_mono!);
            }
            if (_monoCount > 0)
            {
                _resampler.Process(_mono.AsSpan(_monoStart, _monoCount), destination[written..], out int consumed, out int produced);
                _monoStart += consumed;
                _monoCount -= consumed;
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

    private int DecodeMono(Span<float> destination)
    {
        int n = Math.Min(destination.Length, Frames - _frame);
        var src = _samples.Span.Slice(_frame * _channels, n * _channels);
        if (_channels == 1)
        {
            src.CopyTo(destination);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                float sum = 0;
                var frame = src.Slice(i * _channels, _channels);
                for (int c = 0; c < frame.Length; c++) sum += frame[c];
                destination[i] = sum / _channels;
            }
        }
        _frame += n;
        return n;
    }

    public void Dispose() => _resampler?.Dispose();
}
