using System.Runtime.InteropServices;
using Yamnet.Interop;
using SndFile = Yamnet.Interop.Interop.SndFile;
using NativeStderr = Yamnet.TfLite.NativeStderr;

namespace Yamnet.Audio;

/// <summary>
/// An open libsndfile reader: validated format, interleaved float frames in chunks, and the end-of-data
/// checks (native error, stream failure, fewer frames than declared) that turn silent short reads into
/// typed exceptions.
/// </summary>
internal sealed class SndFileDecoder : IFrameDecoder
{
    /// <summary>Accepted channel counts; libsndfile itself allows up to 1024, far beyond any real recording.</summary>
    internal const int MaxChannels = 64;

    /// <summary>Accepted sample rates (Hz); a header outside this is corrupt or hostile.</summary>
    internal const int MaxSampleRate = 1_000_000;

    /// <summary>
    /// The lowest sample rate taken as real audio (Hz). A damaged header declaring 1–7 Hz would be
    /// upsampled ×16,000 to the model's rate: a 215 KB file became 30–82 hours of samples.
    /// </summary>
    internal const int MinSampleRate = 1000;

    private readonly SafeSndFileHandle _handle;
    private readonly SndFileStreamIO? _io;
    private readonly Stream? _ownedStream;
    private long _framesRead;
    private bool _ended;
    private readonly bool _captureReads;

    /// <summary>libmpg123's own stderr lines seen while opening and reading (when capture is on).</summary>
    internal DecoderNotes Notes { get; } = new();

    private SndFileDecoder(SafeSndFileHandle handle, SndFileStreamIO? io, Stream? ownedStream, SndFile.SF_INFO info, string name)
    {
        _handle = handle;
        _io = io;
        _ownedStream = ownedStream;
        Name = name;
        Channels = info.channels;
        SampleRate = info.samplerate;
        Format = SndFileFormats.Describe(info);
        _captureReads = (info.format & SndFile.Formats.SF_FORMAT_TYPEMASK) == SndFile.Formats.SF_FORMAT_MPEG;
    }

    public string Name { get; }

    public int Channels { get; }

    public int SampleRate { get; }

    public AudioFormatInfo Format { get; }

    internal long FramesRead => _framesRead;

    internal static unsafe SndFileDecoder Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // Checked here rather than left to libsndfile: it would open a directory and fail with a vague
        // system error, and a missing file deserves the standard FileNotFoundException.
        if (Directory.Exists(path))
            throw new AudioFormatException($"'{path}' is a directory, not an audio file.", path);
        var file = new FileInfo(path);
        if (!file.Exists)
            throw new FileNotFoundException($"Audio file '{path}' was not found.", path);
        if (file.Length == 0)
            throw new AudioFormatException($"'{path}' is empty (0 bytes), not an audio file.", path);

        SndFile.SF_INFO info = default; // must be zeroed on read (format = 0 means "detect")
        SafeSndFileHandle handle;
        SndFileErrors.OpenError error = default;
        NativeStderr.Captured notes;
        lock (SndFileErrors.OpenGate)
        {
            var redirect = NativeStderr.Begin();
            handle = SndFile.sf_open(path, SndFile.Modes.SFM_READ, &info);
            notes = NativeStderr.End(ref redirect, DecoderNotes.IsMpg123Line);
            if (handle.IsInvalid) error = SndFileErrors.ReadOpenError();
        }
        if (handle.IsInvalid)
        {
            handle.Dispose();
            SndFileErrors.ThrowOpenFailed(path, "opening", error);
        }
        var decoder = Create(handle, null, null, info, path);
        decoder.Notes.Add(notes);
        return decoder;
    }

    /// <summary>How much of a caller's stream is copied to re-run a failed open under the gate (headers live at the start).</summary>
    private const int DiagnoseBytes = 1 << 20;

    private static unsafe SndFileErrors.OpenError Diagnose(Stream source, long origin, string name)
    {
        byte[] head;
        try
        {
            source.Position = origin;
            head = new byte[(int)Math.Min(DiagnoseBytes, Math.Max(0, source.Length - origin))];
            source.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or NotSupportedException or ObjectDisposedException)
        {
            return new SndFileErrors.OpenError(SndFile.Errors.SF_ERR_SYSTEM, e.Message.ReplaceLineEndings(" "));
        }
        var io = new SndFileStreamIO(new MemoryStream(head, writable: false));
        var table = SndFileStreamIO.Table;
        var gc = GCHandle.Alloc(io);
        try
        {
            SndFile.SF_INFO info = default;
            lock (SndFileErrors.OpenGate)
            {
                using SafeSndFileHandle handle = SndFile.sf_open_virtual(&table, SndFile.Modes.SFM_READ, &info, GCHandle.ToIntPtr(gc));
                if (handle.IsInvalid) return SndFileErrors.ReadOpenError();
            }
            // The head alone opens: what failed lies further in the stream.
            return new SndFileErrors.OpenError(-1, $"libsndfile could not open '{name}' past its first {head.Length} bytes");
        }
        finally
        {
            gc.Free();
        }
    }

    internal static SndFileDecoder Open(Stream stream, bool leaveOpen, string? name = null, CancellationToken cancellationToken = default)
        => OpenAsync(stream, leaveOpen, name, sync: true, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Opens a stream; a non-seekable one is spooled first (asynchronously unless <paramref name="sync"/>),
    /// with the token checked between chunks.
    /// </summary>
    internal static async ValueTask<SndFileDecoder> OpenAsync(Stream stream, bool leaveOpen, string? name, bool sync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        name ??= stream is FileStream fs ? fs.Name : $"<{stream.GetType().Name}>";
        if (!stream.CanRead) throw new ArgumentException($"Audio stream '{name}' is not readable.", nameof(stream));
        cancellationToken.ThrowIfCancellationRequested();

        // The decoder owns whatever it must dispose: the spool copy always, the caller's stream unless leaveOpen.
        Stream? owned = null;
        Stream source = stream;
        try
        {
            if (!stream.CanSeek)
            {
                source = await StreamSpool.ToSeekableAsync(stream, name, sync, cancellationToken).ConfigureAwait(false);
                owned = source;
                if (!leaveOpen) stream.Dispose();
            }
            else if (!leaveOpen)
            {
                owned = stream;
            }

            long length;
            try
            {
                length = source.Length - source.Position;
            }
            catch (Exception e) when (e is IOException or NotSupportedException or ObjectDisposedException)
            {
                throw new TruncatedAudioException($"Audio stream '{name}' failed while being opened: {e.Message.ReplaceLineEndings(" ")}", name, e);
            }
            if (length <= 0)
                throw new AudioFormatException($"Audio stream '{name}' is empty (0 bytes), not audio.", name);

            return OpenVirtual(stream, source, owned, name);
        }
        catch
        {
            owned?.Dispose();
            throw;
        }
    }

    private static unsafe SndFileDecoder OpenVirtual(Stream stream, Stream source, Stream? owned, string name)
    {
        var io = new SndFileStreamIO(source);
        var table = SndFileStreamIO.Table;
        var gc = GCHandle.Alloc(io);
        SndFile.SF_INFO info = default;
        SafeSndFileHandle handle;
        SndFileErrors.OpenError error = default;
        NativeStderr.Captured notes = default;
        if (ReferenceEquals(source, owned) && !ReferenceEquals(source, stream))
        {
            // Our own spool: the callbacks run no user code, so the open may hold the gate.
            lock (SndFileErrors.OpenGate)
            {
                var redirect = NativeStderr.Begin();
                handle = SndFile.sf_open_virtual(&table, SndFile.Modes.SFM_READ, &info, GCHandle.ToIntPtr(gc));
                notes = NativeStderr.End(ref redirect, DecoderNotes.IsMpg123Line);
                if (handle.IsInvalid) error = SndFileErrors.ReadOpenError();
            }
        }
        else
        {
            // The caller's stream: its Read/Seek must not run under a global lock, so a failure is
            // diagnosed again on a private copy of its head, under the gate.
            handle = SndFile.sf_open_virtual(&table, SndFile.Modes.SFM_READ, &info, GCHandle.ToIntPtr(gc));
            if (handle.IsInvalid && io.Failure is null) error = Diagnose(source, io.Origin, name);
        }
        if (handle.IsInvalid)
        {
            handle.Dispose();
            gc.Free();
            SndFileErrors.ThrowOpenFailed(name, "opening", error, io.Failure);
        }
        handle.AttachUserData(gc);
        var decoder = Create(handle, io, owned, info, name);
        decoder.Notes.Add(notes);
        return decoder;
    }

    private static unsafe SndFileDecoder Create(SafeSndFileHandle handle, SndFileStreamIO? io, Stream? owned, SndFile.SF_INFO info, string name)
    {
        try
        {
            // libsndfile accepts odd headers (0 Hz, thousands of channels, negative counts); validate
            // before any value sizes a buffer or reaches soxr.
            if (info.channels < 1 || info.channels > MaxChannels)
                throw new UnsupportedAudioFormatException($"'{name}' declares {info.channels} channels; supported are 1..{MaxChannels}.", name);
            if (info.samplerate < MinSampleRate || info.samplerate > MaxSampleRate)
                throw new UnsupportedAudioFormatException($"'{name}' declares a sample rate of {info.samplerate} Hz; supported is {MinSampleRate}..{MaxSampleRate} Hz (a damaged header?).", name);
            if (info.frames < 0)
                throw new AudioFormatException($"'{name}' declares a negative length ({info.frames} frames).", name);
            if (info.frames == 0)
                throw new AudioFormatException($"'{name}' contains no audio frames.", name);

            // Normalised float reads are libsndfile's default; set it explicitly because the int16 / 32768
            // contract of the model input depends on it.
            int on = 1;
            SndFile.sf_command(handle, SndFile.Commands.SFC_SET_NORM_FLOAT, null, on);
            return new SndFileDecoder(handle, io, owned, info, name);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads up to <c>interleaved.Length / Channels</c> frames. Returns 0 only at the real end, after
    /// checking that the end is legitimate.
    /// </summary>
    public unsafe int ReadFrames(Span<float> interleaved)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (_ended) return 0;
        int frames = interleaved.Length / Channels; // never ask libsndfile for more than the span holds
        if (frames == 0) return 0;

        long got;
        fixed (float* p = &MemoryMarshal.GetReference(interleaved))
        {
            // MP3: libmpg123 prints to fd 2 on damage; kept as notes (no allocation when silent). Other
            // formats are read uncaptured: an inactive redirect ends as nothing.
            var redirect = _captureReads ? NativeStderr.Begin() : default;
            got = SndFile.sf_readf_float(_handle, p, frames);
            Notes.Add(NativeStderr.End(ref redirect, DecoderNotes.IsMpg123Line));
        }

        if (_io?.Failure is { } failure)
            SndFileErrors.ThrowFromHandle(_handle, Name, "reading", failure);
        if (got < 0 || got > frames)
            throw new AudioFormatException($"'{Name}': libsndfile returned an invalid frame count ({got}).", Name);
        _framesRead += got;
        if (got < frames) CheckEnd();
        return (int)got;
    }

    private void CheckEnd()
    {
        _ended = true;
        // Short reads are silent in libsndfile: a file truncated while it was read, or a stream that
        // stops delivering, just ends. The header's count is exact for PCM, FLAC and Ogg; MPEG lengths
        // may be estimates (no Xing/LAME tag), so only a clear shortfall there counts. A native error
        // before the declared end (e.g. "flac decoder lost sync" on a cut file) is the same case.
        bool failed = SndFile.sf_error(_handle) != SndFile.Errors.SF_ERR_NO_ERROR;
        long expected = Format.Frames;
        bool isMpeg = (Format.NativeFormat & SndFile.Formats.SF_FORMAT_TYPEMASK) == SndFile.Formats.SF_FORMAT_MPEG;
        long tolerance = isMpeg ? Math.Max(1152 * 2, expected / 100) : 0;
        // Unknown length (a FLAC/Ogg encoded to a pipe): there is no count to fall short of; only a native error says it was cut.
        if (!Format.LengthKnown && failed)
        {
            string native = SndFileErrors.ToManaged(SndFile.sf_strerror(_handle)).ReplaceLineEndings(" ").Trim();
            throw new TruncatedAudioException($"'{Name}' stopped after {_framesRead} frames (a stream of unknown length): {native}.", Name) { NativeMessage = native };
        }
        if (Format.LengthKnown && _framesRead + tolerance < expected)
        {
            string? native = failed ? SndFileErrors.ToManaged(SndFile.sf_strerror(_handle)) : null;
            throw new TruncatedAudioException(
                $"'{Name}' ended early: decoded {_framesRead} of {expected} frames (file truncated or stream ended)" +
                (native is null ? "" : $": {native.ReplaceLineEndings(" ").Trim()}") + Notes.Suffix + ".", Name) { NativeMessage = native };
        }
        if (failed)
            SndFileErrors.ThrowFromHandle(_handle, Name, $"decoding (after {_framesRead} of {expected} frames)");
    }

    public void Dispose()
    {
        _handle.Dispose();
        _ownedStream?.Dispose();
    }
}
