using System.Runtime.InteropServices;
using Yamnet.Interop;
using SndFile = Yamnet.Interop.Interop.SndFile;

namespace Yamnet.Audio;

/// <summary>Container formats <see cref="AudioFileWriter"/> can write (those Debian's libsndfile supports).</summary>
public enum AudioContainer
{
    Wav,
    /// <summary>WAV with WAVE_FORMAT_EXTENSIBLE headers.</summary>
    WavEx,
    Aiff,
    Au,
    Caf,
    W64,
    Flac,
    Ogg,
    /// <summary>MPEG-1/2 audio stream (use with <see cref="AudioEncoding.Mp3"/>).</summary>
    Mpeg,
}

/// <summary>Sample encodings for <see cref="AudioFileWriter"/>; not every pair with a container is valid.</summary>
public enum AudioEncoding
{
    PcmS8,
    PcmU8,
    Pcm16,
    Pcm24,
    Pcm32,
    Float32,
    Float64,
    ULaw,
    ALaw,
    Vorbis,
    Opus,
    Mp3,
}

/// <summary>
/// Writes audio files with libsndfile (<c>sf_open</c> for write plus <c>sf_writef_float</c> /
/// <c>sf_writef_short</c>). Float input is clipped to [-1, 1) rather than wrapped when written as integers.
/// Note that libsndfile scales float to integer by 32767 (not 32768), so write <see cref="short"/> data
/// when 16-bit samples must round-trip exactly.
/// </summary>
public sealed class AudioFileWriter : IDisposable
{
    private readonly SafeSndFileHandle _handle;

    private AudioFileWriter(SafeSndFileHandle handle, string path, int sampleRate, int channels)
    {
        _handle = handle;
        Path = path;
        SampleRate = sampleRate;
        Channels = channels;
    }

    public string Path { get; }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>Frames written so far.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>True when libsndfile can write this combination (e.g. false for MP3 in a build without LAME).</summary>
    public static unsafe bool IsSupported(AudioContainer container, AudioEncoding encoding, int sampleRate, int channels)
    {
        if (sampleRate < 1 || sampleRate > SndFileDecoder.MaxSampleRate || channels < 1 || channels > SndFileDecoder.MaxChannels) return false;
        var info = new SndFile.SF_INFO { samplerate = sampleRate, channels = channels, format = NativeFormat(container, encoding) };
        return SndFile.sf_format_check(&info) != 0;
    }

    /// <summary>
    /// Creates (or overwrites) <paramref name="path"/>. <paramref name="quality"/> is an optional 0..1
    /// quality for lossy encoders (Vorbis, Opus, MP3); without it libsndfile's default is used.
    /// </summary>
    public static unsafe AudioFileWriter Create(string path, AudioContainer container, AudioEncoding encoding, int sampleRate, int channels = 1, double? quality = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRate, SndFileDecoder.MaxSampleRate);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, SndFileDecoder.MaxChannels);

        var info = new SndFile.SF_INFO { samplerate = sampleRate, channels = channels, format = NativeFormat(container, encoding) };
        if (SndFile.sf_format_check(&info) == 0)
            throw new UnsupportedAudioFormatException($"libsndfile cannot write {container}/{encoding} at {sampleRate} Hz, {channels} ch ('{path}').", path);

        SafeSndFileHandle handle;
        SndFileErrors.OpenError error = default;
        lock (SndFileErrors.OpenGate)
        {
            handle = SndFile.sf_open(path, SndFile.Modes.SFM_WRITE, &info);
            if (handle.IsInvalid) error = SndFileErrors.ReadOpenError();
        }
        if (handle.IsInvalid)
        {
            handle.Dispose();
            SndFileErrors.ThrowOpenFailed(path, "creating", error);
        }

        // Saturate out-of-range floats instead of letting them wrap around in integer formats.
        SndFile.sf_command(handle, SndFile.Commands.SFC_SET_CLIPPING, null, 1);
        if (quality is double q)
        {
            double value = Math.Clamp(q, 0, 1);
            SndFile.sf_command(handle, SndFile.Commands.SFC_SET_VBR_ENCODING_QUALITY, &value, sizeof(double));
        }
        return new AudioFileWriter(handle, path, sampleRate, channels);
    }

    /// <summary>Writes interleaved float frames (length must be a multiple of <see cref="Channels"/>).</summary>
    public unsafe void WriteFrames(ReadOnlySpan<float> interleaved)
    {
        long frames = CheckFrames(interleaved.Length);
        if (frames == 0) return;
        long done;
        fixed (float* p = &MemoryMarshal.GetReference(interleaved))
        {
            done = SndFile.sf_writef_float(_handle, p, frames);
        }
        Complete(done, frames);
    }

    /// <summary>Writes interleaved 16-bit frames (exact for 16-bit and wider integer formats).</summary>
    public unsafe void WriteFrames(ReadOnlySpan<short> interleaved)
    {
        long frames = CheckFrames(interleaved.Length);
        if (frames == 0) return;
        long done;
        fixed (short* p = &MemoryMarshal.GetReference(interleaved))
        {
            done = SndFile.sf_writef_short(_handle, p, frames);
        }
        Complete(done, frames);
    }

    /// <summary>Writes a whole file in one call.</summary>
    public static void WriteFile(string path, ReadOnlySpan<float> interleaved, int sampleRate, int channels, AudioContainer container, AudioEncoding encoding, double? quality = null)
    {
        using var w = Create(path, container, encoding, sampleRate, channels, quality);
        w.WriteFrames(interleaved);
    }

    /// <summary>Writes a whole file of 16-bit samples in one call.</summary>
    public static void WriteFile(string path, ReadOnlySpan<short> interleaved, int sampleRate, int channels, AudioContainer container, AudioEncoding encoding, double? quality = null)
    {
        using var w = Create(path, container, encoding, sampleRate, channels, quality);
        w.WriteFrames(interleaved);
    }

    /// <summary>Finishes the file (header sizes, encoder flush) and closes it.</summary>
    public void Dispose() => _handle.Dispose();

    private long CheckFrames(int length)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (length % Channels != 0)
            throw new ArgumentException($"Sample count {length} is not a multiple of the channel count {Channels}.", nameof(length));
        return length / Channels;
    }

    private void Complete(long done, long frames)
    {
        if (done > 0) FramesWritten += done;
        if (done != frames) SndFileErrors.ThrowFromHandle(_handle, Path, $"writing ({done} of {frames} frames written)");
    }

    internal static int NativeFormat(AudioContainer container, AudioEncoding encoding)
    {
        int major = container switch
        {
            AudioContainer.Wav => SndFile.Formats.SF_FORMAT_WAV,
            AudioContainer.WavEx => SndFile.Formats.SF_FORMAT_WAVEX,
            AudioContainer.Aiff => SndFile.Formats.SF_FORMAT_AIFF,
            AudioContainer.Au => SndFile.Formats.SF_FORMAT_AU,
            AudioContainer.Caf => SndFile.Formats.SF_FORMAT_CAF,
            AudioContainer.W64 => SndFile.Formats.SF_FORMAT_W64,
            AudioContainer.Flac => SndFile.Formats.SF_FORMAT_FLAC,
            AudioContainer.Ogg => SndFile.Formats.SF_FORMAT_OGG,
            AudioContainer.Mpeg => SndFile.Formats.SF_FORMAT_MPEG,
            _ => throw new ArgumentOutOfRangeException(nameof(container), container, null),
        };
        int subtype = encoding switch
        {
            AudioEncoding.PcmS8 => SndFile.Formats.SF_FORMAT_PCM_S8,
            AudioEncoding.PcmU8 => SndFile.Formats.SF_FORMAT_PCM_U8,
            AudioEncoding.Pcm16 => SndFile.Formats.SF_FORMAT_PCM_16,
            AudioEncoding.Pcm24 => SndFile.Formats.SF_FORMAT_PCM_24,
            AudioEncoding.Pcm32 => SndFile.Formats.SF_FORMAT_PCM_32,
            AudioEncoding.Float32 => SndFile.Formats.SF_FORMAT_FLOAT,
            AudioEncoding.Float64 => SndFile.Formats.SF_FORMAT_DOUBLE,
            AudioEncoding.ULaw => SndFile.Formats.SF_FORMAT_ULAW,
            AudioEncoding.ALaw => SndFile.Formats.SF_FORMAT_ALAW,
            AudioEncoding.Vorbis => SndFile.Formats.SF_FORMAT_VORBIS,
            AudioEncoding.Opus => SndFile.Formats.SF_FORMAT_OPUS,
            AudioEncoding.Mp3 => SndFile.Formats.SF_FORMAT_MPEG_LAYER_III,
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null),
        };
        return major | subtype;
    }
}
