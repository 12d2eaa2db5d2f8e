using Microsoft.Extensions.Logging;
using Yamnet.Audio;

namespace Yamnet.Analysis;

/// <summary>
/// Something to classify: a file path, a <see cref="Stream"/> (decoded as it arrives where the
/// format allows, see <see cref="AudioReader.Open(Stream, int, bool, ILoggerFactory)"/>), or samples in memory with
/// their rate and channel count. Any rate and channel count: audio is downmixed (channel mean) and
/// resampled to the model's rate. A stream input can be classified once.
/// </summary>
public sealed class AudioInput
{
    private readonly string? _path;
    private readonly Stream? _stream;
    private readonly bool _leaveOpen;
    private readonly ReadOnlyMemory<float> _samples;
    private readonly int _sampleRate;
    private readonly int _channels;
    private int _opened;

    private AudioInput(string name, string? path, Stream? stream, bool leaveOpen, ReadOnlyMemory<float> samples, int sampleRate, int channels)
    {
        Name = name;
        _path = path;
        _stream = stream;
        _leaveOpen = leaveOpen;
        _samples = samples;
        _sampleRate = sampleRate;
        _channels = channels;
    }

    /// <summary>What results are labelled with: the path, or the name given.</summary>
    public string Name { get; }

    /// <summary>The file path, for inputs made by <see cref="FromFile"/>.</summary>
    public string? Path => _path;

    /// <summary>An audio file in any format libsndfile reads (WAV, FLAC, Ogg/Vorbis/Opus, MP3, AIFF, AU ...).</summary>
    public static AudioInput FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new AudioInput(path, path, null, false, default, 0, 0);
    }

    /// <summary>
    /// Audio from a stream, read from its current position. <paramref name="leaveOpen"/> (default
    /// true): the caller keeps ownership of the stream.
    /// </summary>
    public static AudioInput FromStream(Stream stream, string? name = null, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead) throw new ArgumentException("The stream is not readable.", nameof(stream));
        return new AudioInput(name ?? (stream is FileStream fs ? fs.Name : "stream"), null, stream, leaveOpen, default, 0, 0);
    }

    /// <summary>
    /// Samples already in memory: float PCM in [-1, 1], interleaved when <paramref name="channels"/> &gt; 1,
    /// at <paramref name="sampleRate"/> Hz. The memory is read, never copied whole, and must not change meanwhile.
    /// </summary>
    public static AudioInput FromSamples(ReadOnlyMemory<float> samples, int sampleRate, int channels = 1, string? name = null)
    {
        if (sampleRate < 1 || sampleRate > 1_000_000)
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must be 1..1,000,000 Hz.");
        if (channels < 1 || channels > 64)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1..64.");
        if (samples.Length % channels != 0)
            throw new ArgumentException($"{samples.Length} samples is not a whole number of {channels}-channel frames.", nameof(samples));
        return new AudioInput(name ?? "samples", null, null, false, samples, sampleRate, channels);
    }

    internal bool IsFile => _path is not null;

    /// <summary>Opens the input as mono samples at <paramref name="targetRate"/>; the caller disposes the source.</summary>
    internal ISampleSource Open(int targetRate, CancellationToken cancellationToken, ILoggerFactory? loggerFactory = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_path is not null) return AudioReader.Open(_path, targetRate, loggerFactory);
        if (_stream is not null)
        {
            if (Interlocked.Exchange(ref _opened, 1) != 0)
                throw new InvalidOperationException($"The stream input '{Name}' was already classified; a stream can be read once.");
            return AudioReader.Open(_stream, targetRate, _leaveOpen, cancellationToken, Name, loggerFactory);
        }
        return new InterleavedSampleSource(_samples, _sampleRate, _channels, targetRate);
    }

    /// <summary>Like <see cref="Open"/>, reading a stream's header (or spooling it) asynchronously.</summary>
    internal async ValueTask<ISampleSource> OpenAsync(int targetRate, CancellationToken cancellationToken, ILoggerFactory? loggerFactory = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_stream is null) return Open(targetRate, cancellationToken, loggerFactory);
        if (Interlocked.Exchange(ref _opened, 1) != 0)
            throw new InvalidOperationException($"The stream input '{Name}' was already classified; a stream can be read once.");
        return await AudioReader.OpenAsync(_stream, targetRate, _leaveOpen, cancellationToken, Name, loggerFactory).ConfigureAwait(false);
    }

    /// <summary>What the source was before downmix and resampling, when it says.</summary>
    internal static AudioFormatInfo? FormatOf(ISampleSource source) => source is AudioReader r ? r.SourceFormat : null;

    public override string ToString() => Name;
}
