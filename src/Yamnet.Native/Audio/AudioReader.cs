using Microsoft.Extensions.Logging;
using Yamnet.Logging;

namespace Yamnet.Audio;

/// <summary>
/// Decodes an audio file or stream (libsndfile; a plain 16-bit WAV file or a forward-only WAV stream in managed code) and delivers mono float samples at a target rate:
/// channels are averaged, and libsoxr resamples (streaming, high quality) when the source rate differs.
/// A mono source already at the target rate goes straight from <c>sf_readf_float</c> into the caller's
/// span: no resampler and no intermediate copy, so 16-bit PCM arrives exactly as int16 / 32768.
/// Memory is constant: one chunk of decoded frames plus soxr's filter state, whatever the duration.
/// </summary>
public sealed class AudioReader : ISampleSource, Yamnet.Analysis.IPrefetchingSource, IMonoChunkSource
{
    /// <summary>Frames decoded per libsndfile call on the downmix/resample paths.</summary>
    private const int ChunkFrames = 4096;

    private readonly IFrameDecoder _decoder;
    private readonly ChunkedResampler? _resampler;
    private readonly float[]? _interleaved; // decoded frames, only when Channels > 1
    private readonly ILogger? _log;
    private bool _disposed;
    private bool _endReported;

    private AudioReader(IFrameDecoder decoder, int targetSampleRate, ILoggerFactory? loggerFactory)
    {
        _decoder = decoder;
        SampleRate = targetSampleRate;
        try
        {
            if (decoder.Channels > 1) _interleaved = new float[ChunkFrames * decoder.Channels];
            if (decoder.SampleRate != targetSampleRate)
            {
                _resampler = new ChunkedResampler(this, decoder.SampleRate, targetSampleRate);
            }
            if (loggerFactory is not null)
            {
                var log = _log = ContainedLogger.Create(loggerFactory, YamnetLogCategories.Audio);
                LogEvents.AudioOpened(log, decoder.Name, decoder.Format.ToString());
                if (_resampler is not null) LogEvents.ResamplerUsed(log, decoder.Name, decoder.SampleRate, targetSampleRate);
            }
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    /// <summary>Opens a file by path. Throws <see cref="FileNotFoundException"/> or an <see cref="AudioFormatException"/> subtype.</summary>
    /// <param name="loggerFactory">Logs the format and whether a resampler is used (<see cref="YamnetLogCategories.Audio"/>, Debug).</param>
    public static AudioReader Open(string path, int targetSampleRate, ILoggerFactory? loggerFactory = null)
    {
        ValidateRate(targetSampleRate);
        // A FIFO, process substitution (<(cat x.flac)) or character device reads forward only: libsndfile
        // opened by name would seek it (FLAC "lost sync", Ogg "not recognised"), so it goes the stream way.
        if (Yamnet.Inputs.FileIdentity.KindOf(path) is Yamnet.Inputs.FileKind.Fifo or Yamnet.Inputs.FileKind.CharacterDevice or Yamnet.Inputs.FileKind.Socket)
            return Open(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1), targetSampleRate, leaveOpen: false, CancellationToken.None, path, loggerFactory);
        return new AudioReader(OpenPlainWav(path) ?? (IFrameDecoder)SndFileDecoder.Open(path), targetSampleRate, loggerFactory);
    }

    /// <summary>
    /// A regular file that is a plain 16-bit PCM WAV whose data chunk lies wholly inside the file is
    /// decoded here (<see cref="WavStreamDecoder"/>, the same samples and format as libsndfile gives):
    /// libsndfile and its eight codec libraries are then never loaded, which was ≈ 1 ms of the seed
    /// command's start-up (issue 16). Anything else — other encodings, WAVE_FORMAT_EXTENSIBLE, a
    /// truncated or odd header — returns null and goes to libsndfile as before, errors included.
    /// </summary>
    internal static WavStreamDecoder? OpenPlainWav(string path)
    {
        FileStream? file = null;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            var (wav, _) = WavStreamDecoder.TryOpenAsync(file, leaveOpen: false, path, sync: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            // The same limits as libsndfile's path; outside them, its error message.
            if (wav is { IsPlainPcm16: true, SampleRate: >= SndFileDecoder.MinSampleRate and <= SndFileDecoder.MaxSampleRate } && wav.DataEnd <= file.Length) return wav;
            wav?.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or AudioFormatException or NotSupportedException)
        {
            // libsndfile opens it again and reports what is wrong in its own words.
        }
        file?.Dispose();
        return null;
    }

    /// <summary>
    /// Opens audio from a stream, starting at its current position. A non-seekable stream (a pipe) is
    /// first copied to memory, and past 16 MiB to a delete-on-close temp file (cap 4 GiB), because
    /// libsndfile needs random access to parse headers and count frames.
    /// </summary>
    public static AudioReader Open(Stream stream, int targetSampleRate, bool leaveOpen = false, ILoggerFactory? loggerFactory = null)
        => Open(stream, targetSampleRate, leaveOpen, CancellationToken.None, null, loggerFactory);

    /// <inheritdoc cref="Open(Stream, int, bool, ILoggerFactory)"/>
    /// <param name="cancellationToken">Checked between the chunks of a spooled copy.</param>
    public static AudioReader Open(Stream stream, int targetSampleRate, bool leaveOpen, CancellationToken cancellationToken, ILoggerFactory? loggerFactory = null)
        => Open(stream, targetSampleRate, leaveOpen, cancellationToken, null, loggerFactory);

    internal static AudioReader Open(Stream stream, int targetSampleRate, bool leaveOpen, CancellationToken cancellationToken, string? name, ILoggerFactory? loggerFactory)
    {
        ValidateRate(targetSampleRate);
        var decoder = OpenDecoderAsync(stream, leaveOpen, name, sync: true, cancellationToken).AsTask().GetAwaiter().GetResult();
        return new AudioReader(decoder, targetSampleRate, loggerFactory);
    }

    /// <summary>
    /// Like <see cref="Open(Stream, int, bool, CancellationToken, ILoggerFactory)"/>, reading what must be read before
    /// decoding starts (a non-seekable stream's spooled copy) with the stream's asynchronous reads.
    /// </summary>
    public static Task<AudioReader> OpenAsync(Stream stream, int targetSampleRate, bool leaveOpen = false, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
        => OpenAsync(stream, targetSampleRate, leaveOpen, cancellationToken, null, loggerFactory);

    internal static async Task<AudioReader> OpenAsync(Stream stream, int targetSampleRate, bool leaveOpen, CancellationToken cancellationToken, string? name, ILoggerFactory? loggerFactory)
    {
        ValidateRate(targetSampleRate);
        var decoder = await OpenDecoderAsync(stream, leaveOpen, name, sync: false, cancellationToken).ConfigureAwait(false);
        return new AudioReader(decoder, targetSampleRate, loggerFactory);
    }

    /// <summary>
    /// A seekable stream goes to libsndfile. A forward-only one is sniffed: RIFF/WAVE in a plain PCM
    /// or float encoding decodes as it arrives (<see cref="WavStreamDecoder"/>); anything else is
    /// spooled for libsndfile, with the sniffed bytes put back in front.
    /// </summary>
    private static async ValueTask<IFrameDecoder> OpenDecoderAsync(Stream stream, bool leaveOpen, string? name, bool sync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek || !stream.CanRead) return await SndFileDecoder.OpenAsync(stream, leaveOpen, name, sync, cancellationToken).ConfigureAwait(false);
        name ??= $"<{stream.GetType().Name}>";
        (WavStreamDecoder? Decoder, ReadOnlyMemory<byte> Consumed) sniffed;
        try
        {
            sniffed = await WavStreamDecoder.TryOpenAsync(stream, leaveOpen, name, sync, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (!leaveOpen) stream.Dispose();
            throw;
        }
        if (sniffed.Decoder is { } wav) return wav;
        var rest = new PrefixedStream(sniffed.Consumed, stream, leaveOpen);
        return await SndFileDecoder.OpenAsync(rest, leaveOpen: false, name, sync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the samples come from the managed WAV decoder: a forward-only WAV stream decoded as it arrives, or a plain 16-bit WAV file.</summary>
    internal bool IsStreaming => _decoder is WavStreamDecoder;

    ValueTask Yamnet.Analysis.IPrefetchingSource.PrefetchAsync(int samples, CancellationToken cancellationToken)
    {
        if (_decoder is not WavStreamDecoder wav) return ValueTask.CompletedTask;
        long frames = (long)samples * wav.SampleRate / SampleRate + 32; // a resampler's look-ahead is small
        return wav.PrefetchAsync((int)Math.Min(frames, int.MaxValue), cancellationToken);
    }

    /// <summary>The containers the loaded libsndfile reads (WAV, FLAC, Ogg, MP3 with 1.1+, …), as it names them.</summary>
    public static IReadOnlyList<AudioFileFormat> ReadableFormats() => SndFileFormats.MajorFormats();

    /// <summary>The source as decoded, before downmix and resampling.</summary>
    public AudioFormatInfo SourceFormat => _decoder.Format;

    /// <summary>The rate of the samples <see cref="Read"/> returns (the target rate given to Open).</summary>
    public int SampleRate { get; }

    /// <summary>True when samples pass through a resampler (source rate differs from <see cref="SampleRate"/>).</summary>
    public bool IsResampling => _resampler is not null;

    /// <summary>
    /// Expected number of output samples: the source frames scaled to the target rate. Exact for the
    /// pass-through path; soxr's output length equals it to within a sample.
    /// </summary>
    public long EstimatedSampleCount => _resampler is null
        ? SourceFormat.Frames
        : (long)Math.Round(SourceFormat.Frames * (double)SampleRate / SourceFormat.SampleRate);

    public int Read(Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.IsEmpty) return 0;
        int n = _resampler is null ? ReadAtSourceRate(destination) : _resampler.Read(destination);
        if (n == 0) ReachedEnd();
        return n;
    }

    /// <summary>
    /// A damaged MP3 that libmpg123 resynced through ends normally, yet frames were skipped: said once,
    /// as a warning, since no error will carry the decoder's report (a file that fails carries it in its error).
    /// </summary>
    private void ReachedEnd()
    {
        if (_endReported) return;
        _endReported = true;
        if (_log is not null && _decoder is SndFileDecoder { Notes: { Count: > 0 } notes })
            LogEvents.DecoderSkippedDamage(_log, _decoder.Name, notes.Count, notes.First);
    }

    /// <summary>Reads the whole remaining signal into an array (tests and short clips; long audio should stream).</summary>
    public float[] ReadAll()
    {
        var all = new List<float>(checked((int)Math.Min(EstimatedSampleCount + 64, int.MaxValue - 64)));
        var buffer = new float[16384];
        int n;
        while ((n = Read(buffer)) > 0) all.AddRange(buffer.AsSpan(0, n));
        return all.ToArray();
    }

    private int ReadAtSourceRate(Span<float> destination)
    {
        if (_interleaved is null)
        {
            // Seed path: mono at the target rate, decoded in place.
            int total = 0;
            while (total < destination.Length)
            {
                int n = _decoder.ReadFrames(destination[total..]);
                if (n == 0) break;
                total += n;
            }
            return total;
        }

        int written = 0;
        while (written < destination.Length)
        {
            int n = DecodeMono(destination[written..]);
            if (n == 0) break;
            written += n;
        }
        return written;
    }

    /// <summary>Decodes up to destination.Length frames and writes their channel mean.</summary>
    private int DecodeMono(Span<float> destination)
    {
        if (_interleaved is null) return _decoder.ReadFrames(destination);

        int channels = _decoder.Channels;
        int frames = Math.Min(destination.Length, ChunkFrames);
        int got = _decoder.ReadFrames(_interleaved.AsSpan(0, frames * channels));
        Downmix.Average(_interleaved.AsSpan(0, got * channels), channels, destination);
        return got;
    }

    int IMonoChunkSource.DecodeMono(Span<float> destination) => DecodeMono(destination);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _resampler?.Dispose();
        _decoder.Dispose();
    }

    private static void ValidateRate(int targetSampleRate)
    {
        if (targetSampleRate < 1 || targetSampleRate > SndFileDecoder.MaxSampleRate)
            throw new ArgumentOutOfRangeException(nameof(targetSampleRate), targetSampleRate, $"Target sample rate must be 1..{SndFileDecoder.MaxSampleRate} Hz.");
    }
}
