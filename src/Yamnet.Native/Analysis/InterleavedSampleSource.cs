using Yamnet.Audio;

namespace Yamnet.Analysis;

/// <summary>
/// In-memory float samples (any rate, any channel count) as a mono source at the model's rate:
/// frames are averaged chunk by chunk and, when the rates differ, resampled by libsoxr (streaming),
/// so a long buffer is never copied whole. Mono at the target rate is read straight from the memory.
/// </summary>
internal sealed class InterleavedSampleSource : ISampleSource, IMonoChunkSource
{
    private readonly ReadOnlyMemory<float> _samples;
    private readonly int _channels;
    private readonly ChunkedResampler? _resampler;
    private int _frame;            // next frame of _samples to read

    internal InterleavedSampleSource(ReadOnlyMemory<float> samples, int sampleRate, int channels, int targetRate)
    {
        _samples = samples;
        _channels = channels;
        SampleRate = targetRate;
        if (sampleRate != targetRate) _resampler = new ChunkedResampler(this, sampleRate, targetRate);
    }

    public int SampleRate { get; }

    private int Frames => _samples.Length / _channels;

    public int Read(Span<float> destination)
    {
        if (destination.IsEmpty) return 0;
        return _resampler is null ? DecodeMono(destination) : _resampler.Read(destination);
    }

    public int DecodeMono(Span<float> destination)
    {
        int n = Math.Min(destination.Length, Frames - _frame);
        Downmix.Average(_samples.Span.Slice(_frame * _channels, n * _channels), _channels, destination);
        _frame += n;
        return n;
    }

    public void Dispose() => _resampler?.Dispose();
}
