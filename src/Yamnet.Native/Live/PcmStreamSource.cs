using System.Buffers.Binary;
using Yamnet.Audio;

namespace Yamnet.Live;

/// <summary>
/// Live samples from a byte stream such as standard input: a RIFF/WAVE stream (16-bit PCM) when it
/// starts with <c>RIFF</c>, otherwise raw signed 16-bit little-endian frames at a rate and channel
/// count given by the caller (what <c>arecord -t raw</c> writes). The header is parsed here, in
/// streaming fashion, because <see cref="AudioReader"/> spools a non-seekable stream to its end before
/// decoding, which would never return for live input. Bytes are consumed as they arrive; a frame split
/// across reads is carried over. A WAV data size of 0 or 0xFFFFFFFF (streaming writers) means "until
/// the stream ends"; any other size stops reading after that many bytes.
/// </summary>
public sealed class PcmStreamSource : PcmCaptureSource
{
    private const int WAVE_FORMAT_PCM = 1;
    private const int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _rawRate;
    private readonly int _rawChannels;
    private readonly byte[] _bytes = new byte[ChunkFrames * 2 * 2];
    private int _carry;          // bytes of an incomplete frame kept at the start of _bytes
    private long _remaining = long.MaxValue; // data bytes left (WAV with a known size)
    private int _frameBytes;
    private bool _ended;

    /// <param name="stream">Read from its current position; not seeked.</param>
    /// <param name="name">The label of results (<c>stdin</c>, a path).</param>
    /// <param name="sampleRate">The output rate (the model's).</param>
    /// <param name="rawRate">The rate of raw (headerless) input.</param>
    /// <param name="rawChannels">The channel count of raw input.</param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open on dispose.</param>
    public PcmStreamSource(Stream stream, string name, int sampleRate, int rawRate, int rawChannels, bool leaveOpen = false)
        : base(name, sampleRate)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (rawRate < 1 || rawRate > SndFileDecoder.MaxSampleRate)
            throw new ArgumentOutOfRangeException(nameof(rawRate), rawRate, $"Raw input rate must be 1..{SndFileDecoder.MaxSampleRate} Hz.");
        if (rawChannels < 1 || rawChannels > SndFileDecoder.MaxChannels)
            throw new ArgumentOutOfRangeException(nameof(rawChannels), rawChannels, $"Raw input channels must be 1..{SndFileDecoder.MaxChannels}.");
        _stream = stream;
        _leaveOpen = leaveOpen;
        _rawRate = rawRate;
        _rawChannels = rawChannels;
    }

    /// <summary>"wav" or "raw" once the first bytes were seen; null before.</summary>
    public string? Container { get; private set; }

    protected override (int Rate, int Channels, string Description) ReadFormat(CancellationToken cancellationToken)
    {
        int got = ReadAtLeast(_bytes.AsSpan(0, 4));
        if (got == 0) return (0, 0, "");
        if (got == 4 && _bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8))
        {
            Container = "wav";
            var (rate, channels, dataBytes) = ReadWavHeader();
            _frameBytes = 2 * channels;
            if (dataBytes is not (0 or uint.MaxValue)) _remaining = dataBytes;
            return (rate, channels, $"WAV 16-bit PCM {rate} Hz, {channels} channel{(channels == 1 ? "" : "s")}" + (_remaining == long.MaxValue ? ", length open" : $", {dataBytes} data bytes"));
        }
        // Raw: the bytes just read are the first samples, unless they are a container's signature:
        // a FLAC or Ogg body read as PCM would be classified as noise without a word.
        if (got == 4 && ContainerOf(_bytes.AsSpan(0, 4)) is { } container)
        {
            throw new UnsupportedAudioFormatException(
                $"{Name}: the stream is {container}, not raw S16_LE PCM; live input takes raw PCM or 16-bit WAV (decode it first, e.g. ffmpeg -i IN -f s16le -ac 1 -ar {_rawRate} -), or classify it with 'yamnet classify'", Name);
        }
        Container = "raw";
        _carry = got;
        _frameBytes = 2 * _rawChannels;
        return (_rawRate, _rawChannels, $"raw S16_LE {_rawRate} Hz, {_rawChannels} channel{(_rawChannels == 1 ? "" : "s")}");
    }

    protected override int ReadFrames(Span<short> interleaved, CancellationToken cancellationToken)
    {
        long allowed = _remaining >= int.MaxValue ? int.MaxValue : _remaining + _carry;
        int wantBytes = (int)Math.Min(Math.Min(interleaved.Length * 2, _bytes.Length), allowed);
        wantBytes -= wantBytes % _frameBytes;
        while (!_ended && !cancellationToken.IsCancellationRequested)
        {
            if (_carry >= _frameBytes)
            {
                int whole = Math.Min(_carry, wantBytes);
                whole -= whole % _frameBytes;
                if (whole > 0) return Deliver(interleaved, whole);
            }
            if (_remaining <= 0 || wantBytes == 0)
            {
                _ended = true;
                break;
            }
            int n = _stream.Read(_bytes, _carry, (int)Math.Min(wantBytes - _carry, _remaining));
            if (n <= 0)
            {
                _ended = true;
                break;
            }
            _remaining -= n;
            _carry += n;
        }
        // A trailing partial frame (a pipe cut mid-sample) is dropped.
        return 0;
    }

    private int Deliver(Span<short> interleaved, int bytes)
    {
        var src = _bytes.AsSpan(0, bytes);
        int samples = bytes / 2;
        for (int i = 0; i < samples; i++) interleaved[i] = BinaryPrimitives.ReadInt16LittleEndian(src[(2 * i)..]);
        int left = _carry - bytes;
        if (left > 0) _bytes.AsSpan(bytes, left).CopyTo(_bytes);
        _carry = left;
        return bytes / _frameBytes;
    }

    /// <summary>The container whose signature starts a stream, or null for bytes that may be raw samples.</summary>
    internal static string? ContainerOf(ReadOnlySpan<byte> head) => head switch
    {
        _ when head.StartsWith("fLaC"u8) => "FLAC",
        _ when head.StartsWith("OggS"u8) => "Ogg (Vorbis/Opus/FLAC)",
        _ when head.StartsWith("ID3"u8) => "MP3 (ID3 tag)",
        _ when head.StartsWith("FORM"u8) => "AIFF",
        _ when head.StartsWith(".snd"u8) => "AU",
        _ when head.StartsWith("caff"u8) => "CAF",
        _ when head.StartsWith("RF64"u8) => "RF64 WAV",
        _ => null,
    };

    /// <summary>Walks the RIFF chunks after "RIFF" up to the start of "data" and returns the format and the data size.</summary>
    private (int Rate, int Channels, uint DataBytes) ReadWavHeader()
    {
        Span<byte> head = stackalloc byte[8];
        RequireExactly(head, "RIFF header");
        if (!head[4..8].SequenceEqual("WAVE"u8)) throw new AudioFormatException($"{Name}: a RIFF stream that is not WAVE", Name);
        int rate = 0, channels = 0;
        bool haveFormat = false;
        byte[] scratch = new byte[256];
        while (true)
        {
            RequireExactly(head, "chunk header");
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
            if (head[..4].SequenceEqual("data"u8))
            {
                if (!haveFormat) throw new AudioFormatException($"{Name}: WAV data chunk before its fmt chunk", Name);
                return (rate, channels, size);
            }
            if (head[..4].SequenceEqual("fmt "u8))
            {
                if (size < 16 || size > scratch.Length) throw new AudioFormatException($"{Name}: WAV fmt chunk of {size} bytes", Name);
                var fmt = scratch.AsSpan(0, (int)size);
                RequireExactly(fmt, "fmt chunk");
                int tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
                uint declared = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
                if (declared < SndFileDecoder.MinSampleRate || declared > SndFileDecoder.MaxSampleRate)
                    throw new UnsupportedAudioFormatException($"{Name}: the WAV header declares a sample rate of {declared} Hz; supported is {SndFileDecoder.MinSampleRate}..{SndFileDecoder.MaxSampleRate} Hz", Name);
                rate = (int)declared;
                int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
                if (channels < 1 || channels > SndFileDecoder.MaxChannels)
                    throw new UnsupportedAudioFormatException($"{Name}: the WAV header declares {channels} channels; supported are 1..{SndFileDecoder.MaxChannels}", Name);
                if (tag == WAVE_FORMAT_EXTENSIBLE && size >= 40) tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
                if (tag != WAVE_FORMAT_PCM || bits != 16)
                {
                    throw new UnsupportedAudioFormatException(
                        $"{Name}: live WAV input must be 16-bit PCM (this is format {tag}, {bits} bits); convert it, or classify files with 'yamnet classify'", Name);
                }
                if (size % 2 == 1) RequireExactly(scratch.AsSpan(0, 1), "chunk padding");
                haveFormat = true;
                continue;
            }
            // LIST, fact, bext ...: skip, including the pad byte of an odd-sized chunk.
            long skip = size + (size & 1);
            while (skip > 0)
            {
                int n = _stream.Read(scratch, 0, (int)Math.Min(skip, scratch.Length));
                if (n <= 0) throw new TruncatedAudioException($"{Name}: the stream ended inside the WAV header", Name);
                skip -= n;
            }
        }
    }

    private void RequireExactly(Span<byte> buffer, string what)
    {
        if (ReadAtLeast(buffer) != buffer.Length) throw new TruncatedAudioException($"{Name}: the stream ended inside the WAV {what}", Name);
    }

    private int ReadAtLeast(Span<byte> buffer) => _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen) _stream.Dispose();
        base.Dispose(disposing);
    }
}
