using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Formats = Yamnet.Interop.Interop.SndFile.Formats;

namespace Yamnet.Audio;

/// <summary>
/// Decodes a RIFF/WAVE body from a forward-only stream as it arrives, so a WAV over a pipe or a
/// socket gives its first window once one window of audio is in, instead of after the whole body
/// was spooled for libsndfile. Integer PCM (8, 16, 24, 32 bit) and IEEE float (32, 64 bit), plain
/// or WAVE_FORMAT_EXTENSIBLE; the same normalisation as libsndfile (int16 / 32768 exactly). A data
/// size of 0 or 0xFFFFFFFF (streaming writers) means "until the stream ends"; a body that ends
/// before its declared size is a <see cref="TruncatedAudioException"/>, as with libsndfile.
/// Anything else (ADPCM, A-law, RF64 ...) is left to libsndfile: <see cref="TryOpenAsync"/> returns
/// null with every byte it read, so the caller can hand them on.
/// </summary>
internal sealed class WavStreamDecoder : IFrameDecoder
{
    private const int WAVE_FORMAT_PCM = 1;
    private const int WAVE_FORMAT_IEEE_FLOAT = 3;
    private const int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;
    private const int MaxHeaderBytes = 1 << 20;
    private const int MaxPrefetchBytes = 4 << 20;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _bytesPerSample;
    private readonly bool _float;
    private readonly int _blockAlign;
    private byte[] _buffer;
    private int _start, _count;        // buffered, not yet decoded bytes
    private long _remaining;           // data bytes not yet read from the stream (long.MaxValue: open-ended)
    private readonly long _declaredFrames;
    private long _framesRead;
    private bool _streamEnded;

    private WavStreamDecoder(Stream stream, bool leaveOpen, string name, byte[] buffer, int start, int count, int channels, int rate, int bits, bool isFloat, uint dataBytes, bool extensible)
    {
        DataEnd = dataBytes is 0 or uint.MaxValue ? long.MaxValue : start + (long)dataBytes;
        IsPlainPcm16 = !extensible && !isFloat && bits == 16 && DataEnd != long.MaxValue;
        _stream = stream;
        _leaveOpen = leaveOpen;
        Name = name;
        _buffer = buffer;
        _start = start;
        _count = count;
        Channels = channels;
        SampleRate = rate;
        _bytesPerSample = bits / 8;
        _float = isFloat;
        _blockAlign = _bytesPerSample * channels;
        bool open = dataBytes is 0 or uint.MaxValue;
        _remaining = open ? long.MaxValue : dataBytes - Math.Min(count, (long)dataBytes);
        if (!open && count > dataBytes) _count = (int)dataBytes; // bytes after the data chunk are not samples
        _declaredFrames = open ? 0 : dataBytes / _blockAlign;
        int subtype = isFloat ? (bits == 32 ? Formats.SF_FORMAT_FLOAT : Formats.SF_FORMAT_DOUBLE)
            : bits switch { 8 => Formats.SF_FORMAT_PCM_U8, 16 => Formats.SF_FORMAT_PCM_16, 24 => Formats.SF_FORMAT_PCM_24, _ => Formats.SF_FORMAT_PCM_32 };
        string codec = isFloat ? $"{bits} bit float" : bits == 8 ? "Unsigned 8 bit PCM" : $"Signed {bits} bit PCM";
        Format = new AudioFormatInfo("WAV (Microsoft)", codec, rate, channels, _declaredFrames, "wav", Formats.SF_FORMAT_WAV | subtype);
    }

    public string Name { get; }

    /// <summary>Where the data chunk ends, from the stream's start (long.MaxValue when it declared no size).</summary>
    internal long DataEnd { get; }

    /// <summary>
    /// Plain WAVE_FORMAT_PCM, 16 bit, with a declared data size: the case where this decoder and
    /// libsndfile agree on every sample (int16 / 32768) and on every field of <see cref="Format"/>
    /// (WAVE_FORMAT_EXTENSIBLE is a different major format to libsndfile).
    /// </summary>
    internal bool IsPlainPcm16 { get; }

    public int Channels { get; }

    public int SampleRate { get; }

    /// <summary>Frames is the data chunk's size over the frame size, or 0 when the stream did not declare one.</summary>
    public AudioFormatInfo Format { get; }

    /// <summary>
    /// Parses the header when <paramref name="stream"/> starts with RIFF/WAVE in a format decoded here.
    /// Otherwise returns no decoder and the bytes read so far (to be put back in front of the stream).
    /// </summary>
    internal static async ValueTask<(WavStreamDecoder? Decoder, ReadOnlyMemory<byte> Consumed)> TryOpenAsync(Stream stream, bool leaveOpen, string name, bool sync, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[64 * 1024];
        int have = await FillAsync(stream, buffer, 0, 12, sync, cancellationToken).ConfigureAwait(false);
        if (have < 12 || !buffer.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !buffer.AsSpan(8, 4).SequenceEqual("WAVE"u8))
            return (null, buffer.AsMemory(0, have));
        int pos = 12;
        int channels = 0, rate = 0, bits = 0, tag = 0;
        bool haveFormat = false, extensible = false;
        while (true)
        {
            if (have < pos + 8)
            {
                have = await FillAsync(stream, buffer, have, pos + 8, sync, cancellationToken).ConfigureAwait(false);
                if (have < pos + 8) throw new TruncatedAudioException($"'{name}': the stream ended inside the WAV header.", name);
            }
            bool isData = buffer.AsSpan(pos, 4).SequenceEqual("data"u8), isFmt = buffer.AsSpan(pos, 4).SequenceEqual("fmt "u8);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(pos + 4));
            pos += 8;
            if (isData)
            {
                if (!haveFormat) throw new AudioFormatException($"'{name}': WAV data chunk before its fmt chunk.", name);
                bool supported = tag == WAVE_FORMAT_PCM ? bits is 8 or 16 or 24 or 32 : tag == WAVE_FORMAT_IEEE_FLOAT && bits is 32 or 64;
                if (!supported) return (null, buffer.AsMemory(0, have));
                return (new WavStreamDecoder(stream, leaveOpen, name, buffer, pos, have - pos, channels, rate, bits, tag == WAVE_FORMAT_IEEE_FLOAT, size, extensible), default);
            }
            long next = pos + (long)size + (size & 1);
            if (next > MaxHeaderBytes) return (null, buffer.AsMemory(0, have)); // a huge header chunk: leave it to libsndfile
            if (buffer.Length < next + 8) Array.Resize(ref buffer, (int)Math.Max(buffer.Length * 2L, next + 8));
            if (have < next)
            {
                have = await FillAsync(stream, buffer, have, (int)next, sync, cancellationToken).ConfigureAwait(false);
                if (have < next) throw new TruncatedAudioException($"'{name}': the stream ended inside the WAV header.", name);
            }
            if (isFmt)
            {
                if (size < 16) throw new AudioFormatException($"'{name}': WAV fmt chunk of {size} bytes.", name);
                tag = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(pos));
                channels = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(pos + 2));
                uint declaredRate = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(pos + 4));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(pos + 14));
                extensible = tag == WAVE_FORMAT_EXTENSIBLE;
                if (extensible && size >= 26) tag = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(pos + 24));
                if (channels < 1 || channels > SndFileDecoder.MaxChannels)
                    throw new UnsupportedAudioFormatException($"'{name}' declares {channels} channels; supported are 1..{SndFileDecoder.MaxChannels}.", name);
                if (declaredRate < 1 || declaredRate > SndFileDecoder.MaxSampleRate)
                    throw new UnsupportedAudioFormatException($"'{name}' declares a sample rate of {declaredRate} Hz; supported is 1..{SndFileDecoder.MaxSampleRate} Hz.", name);
                rate = (int)declaredRate;
                haveFormat = true;
            }
            pos = (int)next;
        }
    }

    /// <summary>Reads until <paramref name="want"/> bytes are buffered or the stream ends; returns the buffered count.</summary>
    private static async ValueTask<int> FillAsync(Stream stream, byte[] buffer, int have, int want, bool sync, CancellationToken cancellationToken)
    {
        while (have < want)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = sync ? ReadSync(stream, buffer.AsSpan(have)) : await ReadAsync(stream, buffer.AsMemory(have), cancellationToken).ConfigureAwait(false);
            if (n <= 0) break;
            have += n;
        }
        return have;
    }

    private static int ReadSync(Stream stream, Span<byte> into, string? name = null)
    {
        try
        {
            return stream.Read(into);
        }
        catch (Exception e) when (e is IOException or NotSupportedException or ObjectDisposedException)
        {
            throw new TruncatedAudioException($"Audio stream '{name}' failed while being read: {e.Message.ReplaceLineEndings(" ")}", name, e);
        }
    }

    private static async ValueTask<int> ReadAsync(Stream stream, Memory<byte> into, CancellationToken cancellationToken, string? name = null)
    {
        try
        {
            return await stream.ReadAsync(into, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or NotSupportedException or ObjectDisposedException)
        {
            throw new TruncatedAudioException($"Audio stream '{name}' failed while being read: {e.Message.ReplaceLineEndings(" ")}", name, e);
        }
    }

    /// <summary>Buffers at least <paramref name="frames"/> frames (fewer at the end) with asynchronous reads.</summary>
    internal async ValueTask PrefetchAsync(int frames, CancellationToken cancellationToken)
    {
        long want = Math.Min((long)frames * _blockAlign, MaxPrefetchBytes);
        while (_count < want && !_streamEnded && _remaining > 0)
        {
            Compact((int)want);
            int ask = (int)Math.Min(_buffer.Length - _start - _count, _remaining);
            int n = await ReadAsync(_stream, _buffer.AsMemory(_start + _count, ask), cancellationToken, Name).ConfigureAwait(false);
            Take(n);
        }
    }

    public int ReadFrames(Span<float> interleaved)
    {
        int frames = interleaved.Length / Channels;
        if (frames == 0) return 0;
        // Wait for at least one whole frame (or the end); then decode what is there, up to the request.
        while (_count < _blockAlign && !_streamEnded && _remaining > 0)
        {
            Compact(_blockAlign);
            int ask = (int)Math.Min(_buffer.Length - _start - _count, _remaining);
            Take(ReadSync(_stream, _buffer.AsSpan(_start + _count, ask), Name));
        }
        int available = _count / _blockAlign;
        if (available == 0)
        {
            CheckEnd();
            return 0;
        }
        int n = Math.Min(frames, available);
        Convert(_buffer.AsSpan(_start, n * _blockAlign), interleaved[..(n * Channels)]);
        _start += n * _blockAlign;
        _count -= n * _blockAlign;
        _framesRead += n;
        return n;
    }

    private void Take(int n)
    {
        if (n <= 0)
        {
            _streamEnded = true;
            return;
        }
        _count += n;
        if (_remaining != long.MaxValue) _remaining -= n;
    }

    /// <summary>Moves the undecoded bytes to the front, growing the buffer to hold <paramref name="want"/> bytes.</summary>
    private void Compact(int want)
    {
        if (_start > 0 && _count > 0) Buffer.BlockCopy(_buffer, _start, _buffer, 0, _count);
        _start = 0;
        if (_buffer.Length < want) Array.Resize(ref _buffer, want);
        else if (_buffer.Length - _count < _blockAlign) Array.Resize(ref _buffer, _buffer.Length * 2);
    }

    private void CheckEnd()
    {
        if (_remaining != long.MaxValue && _remaining > 0 || _count > 0 && _declaredFrames > 0)
        {
            throw new TruncatedAudioException(
                $"'{Name}' ended early: decoded {_framesRead} of {_declaredFrames} frames (file truncated or stream ended).", Name);
        }
        if (_framesRead == 0) throw new AudioFormatException($"'{Name}' contains no audio frames.", Name);
    }

    private void Convert(ReadOnlySpan<byte> src, Span<float> dst)
    {
        switch (_bytesPerSample)
        {
            case 2 when !_float:
                var s16 = MemoryMarshal.Cast<byte, short>(src);
                for (int i = 0; i < dst.Length; i++) dst[i] = s16[i] / 32768f;
                break;
            case 1:
                for (int i = 0; i < dst.Length; i++) dst[i] = (src[i] - 128) / 128f;
                break;
            case 3:
                for (int i = 0; i < dst.Length; i++)
                {
                    int v = (src[3 * i] << 8 | src[3 * i + 1] << 16 | src[3 * i + 2] << 24) >> 8;
                    dst[i] = v / 8388608f;
                }
                break;
            case 4 when !_float:
                var s32 = MemoryMarshal.Cast<byte, int>(src);
                for (int i = 0; i < dst.Length; i++) dst[i] = s32[i] * (1f / 2147483648f);
                break;
            case 4:
                MemoryMarshal.Cast<byte, float>(src).CopyTo(dst);
                break;
            default:
                var f64 = MemoryMarshal.Cast<byte, double>(src);
                for (int i = 0; i < dst.Length; i++) dst[i] = (float)f64[i];
                break;
        }
    }

    public void Dispose()
    {
        if (!_leaveOpen) _stream.Dispose();
    }
}
