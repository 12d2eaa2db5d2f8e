using Yamnet.Audio;

namespace Yamnet.Live;

/// <summary>
/// The common half of every live source: turns interleaved signed 16-bit frames at the source's rate
/// and channel count into mono float samples at the model's rate. Samples are <c>int16 / 32768f</c>
/// (the seed's scaling); channels are averaged like <see cref="AudioReader"/> does; libsoxr resamples
/// (streaming, see <see cref="Resampler"/>) only when the rates differ, so a 16 kHz mono source reaches
/// the model bit-exactly. Subclasses supply frames through <see cref="ReadFrames"/> and announce the
/// format once they know it (a WAV header may only arrive with the first bytes of a pipe).
/// </summary>
public abstract class PcmCaptureSource : ILiveSource
{
    /// <summary>Frames converted per source read.</summary>
    protected const int ChunkFrames = 4096;

    private short[] _frames = [];
    private float[] _mono = []; // resampler input
    private Resampler? _resampler;
    private int _monoStart;
    private int _monoCount;
    private bool _ended;
    private bool _flushed;
    private bool _configured;
    private bool _disposed;

    protected PcmCaptureSource(string name, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        Name = name;
        SampleRate = sampleRate;
    }

    public string Name { get; }

    /// <summary>The output rate (the model's).</summary>
    public int SampleRate { get; }

    public virtual long Overruns => 0;

    /// <summary>The source's own rate; 0 until known.</summary>
    public int SourceRate { get; private set; }

    /// <summary>The source's own channel count; 0 until known.</summary>
    public int SourceChannels { get; private set; }

    /// <summary>True once the source format is known and needs resampling.</summary>
    public bool IsResampling => _resampler is not null;

    /// <summary>Called once, from the reading thread, when the source format becomes known (for --verbose).</summary>
    public Action<string>? FormatKnown { get; set; }

    /// <summary>
    /// Called before the first read: returns the source rate and channel count, blocking for a header if
    /// need be. Return (0, 0) when the input ended (or was cancelled) before any format could be read.
    /// </summary>
    protected abstract (int Rate, int Channels, string Description) ReadFormat(CancellationToken cancellationToken);

    /// <summary>
    /// Blocks for at least one whole interleaved frame and returns the number of frames written into
    /// <paramref name="interleaved"/> (a whole number of frames long); 0 at the end or once cancelled.
    /// </summary>
    protected abstract int ReadFrames(Span<short> interleaved, CancellationToken cancellationToken);

    public int Read(Span<float> destination, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.IsEmpty) return 0;
        if (!_configured && !Configure(cancellationToken)) return 0;
        return _resampler is null ? ReadDirect(destination, cancellationToken) : ReadResampled(destination, cancellationToken);
    }

    private bool Configure(CancellationToken cancellationToken)
    {
        var (rate, channels, description) = ReadFormat(cancellationToken);
        if (rate == 0) return false;
        if (rate < 1 || rate > SndFileDecoder.MaxSampleRate)
            throw new UnsupportedAudioFormatException($"{Name}: sample rate {rate} Hz is outside 1..{SndFileDecoder.MaxSampleRate}", Name);
        if (channels < 1 || channels > SndFileDecoder.MaxChannels)
            throw new UnsupportedAudioFormatException($"{Name}: {channels} channels is outside 1..{SndFileDecoder.MaxChannels}", Name);
        SourceRate = rate;
        SourceChannels = channels;
        _frames = new short[ChunkFrames * channels];
        if (rate != SampleRate)
        {
            _resampler = new Resampler(rate, SampleRate, 1);
            _mono = new float[ChunkFrames];
        }
        _configured = true;
        FormatKnown?.Invoke($"{Name}: {description}; {(rate == SampleRate ? "no resampling" : $"resampled {rate} -> {SampleRate} Hz")}{(channels > 1 ? $", {channels} channels averaged" : "")}");
        return true;
    }

    private int ReadDirect(Span<float> destination, CancellationToken cancellationToken)
    {
        if (_ended) return 0;
        int frames = Math.Min(destination.Length, ChunkFrames);
        int got = ReadFrames(_frames.AsSpan(0, frames * SourceChannels), cancellationToken);
        if (got == 0)
        {
            _ended = true;
            return 0;
        }
        ToMono(_frames.AsSpan(0, got * SourceChannels), SourceChannels, destination);
        return got;
    }

    private int ReadResampled(Span<float> destination, CancellationToken cancellationToken)
    {
        // Loops until it has output: soxr may swallow a whole chunk while its filter fills.
        while (true)
        {
            if (_monoCount == 0 && !_ended)
            {
                int got = ReadFrames(_frames.AsSpan(0, ChunkFrames * SourceChannels), cancellationToken);
                if (got == 0)
                {
                    _ended = true;
                    // A stop is not an end of input: the filter tail is only drained at a real end.
                    if (cancellationToken.IsCancellationRequested) _flushed = true;
                }
                else
                {
                    ToMono(_frames.AsSpan(0, got * SourceChannels), SourceChannels, _mono);
                    _monoStart = 0;
                    _monoCount = got;
                }
            }
            if (_monoCount > 0)
            {
                _resampler!.Process(_mono.AsSpan(_monoStart, _monoCount), destination, out int consumed, out int produced);
                _monoStart += consumed;
                _monoCount -= consumed;
                if (produced > 0) return produced;
                continue;
            }
            if (_flushed) return 0;
            int tail = _resampler!.Flush(destination);
            if (tail == 0) _flushed = true;
            return tail;
        }
    }

    /// <summary>int16 / 32768f per sample; the channel mean per frame (same arithmetic as <see cref="AudioReader"/>).</summary>
    internal static void ToMono(ReadOnlySpan<short> interleaved, int channels, Span<float> destination)
    {
        int frames = interleaved.Length / channels;
        if (channels == 1)
        {
            for (int i = 0; i < frames; i++) destination[i] = interleaved[i] / 32768f;
        }
        else if (channels == 2)
        {
            for (int i = 0; i < frames; i++) destination[i] = (interleaved[2 * i] / 32768f + interleaved[2 * i + 1] / 32768f) / 2f;
        }
        else
        {
            for (int i = 0; i < frames; i++)
            {
                float sum = 0;
                var frame = interleaved.Slice(i * channels, channels);
                for (int c = 0; c < frame.Length; c++) sum += frame[c] / 32768f;
                destination[i] = sum / channels;
            }
        }
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _resampler?.Dispose();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }
}
