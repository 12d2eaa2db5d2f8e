using System.Buffers.Binary;
using System.Text;
using Yamnet.Audio;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Audio;

/// <summary>Independent readers, builders and signal metrics the audio tests check the library against.</summary>
internal static class AudioTestData
{
    /// <summary>A minimal RIFF/WAVE PCM16 parser, independent of libsndfile, to get the ground-truth samples.</summary>
    internal static (int SampleRate, int Channels, short[] Samples) ReadPcm16Wav(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Encoding.ASCII.GetString(bytes, 0, 4).Should().Be("RIFF");
        Encoding.ASCII.GetString(bytes, 8, 4).Should().Be("WAVE");
        int pos = 12, rate = 0, channels = 0;
        while (pos + 8 <= bytes.Length)
        {
            string id = Encoding.ASCII.GetString(bytes, pos, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(pos + 4));
            var body = bytes.AsSpan(pos + 8);
            if (id == "fmt ")
            {
                BinaryPrimitives.ReadInt16LittleEndian(body).Should().Be(1, "the shared clips are plain PCM");
                channels = BinaryPrimitives.ReadInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                BinaryPrimitives.ReadInt16LittleEndian(body[14..]).Should().Be(16);
            }
            else if (id == "data")
            {
                int count = Math.Min(size, bytes.Length - pos - 8) / 2;
                var samples = new short[count];
                for (int i = 0; i < count; i++) samples[i] = BinaryPrimitives.ReadInt16LittleEndian(body[(2 * i)..]);
                return (rate, channels, samples);
            }
            pos += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no data chunk in " + path);
    }

    internal static float[] ToFloat(short[] samples) => samples.Select(s => s / 32768f).ToArray();

    /// <summary>The meow clip as int16 and as the model's float input.</summary>
    internal static readonly Lazy<(short[] Pcm, float[] Float)> Meow = new(() =>
    {
        var (_, _, pcm) = ReadPcm16Wav(TestAssets.Meow);
        return (pcm, ToFloat(pcm));
    });

    /// <summary>Builds a canonical 44-byte-header WAV with any header values, for hostile-input tests.</summary>
    internal static byte[] BuildWav(short formatTag, short channels, int sampleRate, short bitsPerSample, ReadOnlySpan<byte> data, int? claimedDataSize = null)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        int blockAlign = channels * bitsPerSample / 8;
        w.Write("RIFF"u8); w.Write(36 + data.Length); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write(formatTag); w.Write(channels); w.Write(sampleRate);
        w.Write(sampleRate * blockAlign); w.Write((short)blockAlign); w.Write(bitsPerSample);
        w.Write("data"u8); w.Write(claimedDataSize ?? data.Length); w.Write(data);
        w.Flush();
        return ms.ToArray();
    }

    internal static byte[] Pcm16Bytes(ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        return bytes;
    }

    internal static float[] ReadAll(string path, int rate = 16000)
    {
        using var r = AudioReader.Open(path, rate);
        return r.ReadAll();
    }

    /// <summary>Pearson correlation over the common length.</summary>
    internal static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int lag = 0)
    {
        // b is shifted by lag: compares a[i] with b[i + lag].
        int start = Math.Max(0, -lag), end = Math.Min(a.Length, b.Length - lag);
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = 0;
        for (int i = start; i < end; i++, n++)
        {
            double x = a[i], y = b[i + lag];
            sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
        }
        double cov = sab - sa * sb / n, va = saa - sa * sa / n, vb = sbb - sb * sb / n;
        return cov / Math.Sqrt(va * vb);
    }

    /// <summary>Best correlation over lags in [-maxLag, maxLag] (lossy encoders may shift the signal).</summary>
    internal static (double Correlation, int Lag) BestCorrelation(float[] a, float[] b, int maxLag, int step = 1)
    {
        (double best, int bestLag) = (double.MinValue, 0);
        for (int lag = -maxLag; lag <= maxLag; lag += step)
        {
            double c = Correlation(a, b, lag);
            if (c > best) (best, bestLag) = (c, lag);
        }
        if (step > 1)
        {
            for (int lag = bestLag - step; lag <= bestLag + step; lag++)
            {
                double c = Correlation(a, b, lag);
                if (c > best) (best, bestLag) = (c, lag);
            }
        }
        return (best, bestLag);
    }

    internal static float[] Interleave(float[] left, float[] right)
    {
        var s = new float[left.Length * 2];
        for (int i = 0; i < left.Length; i++) { s[2 * i] = left[i]; s[2 * i + 1] = right[i]; }
        return s;
    }
}

/// <summary>A stream that hides CanSeek, like a pipe.</summary>
internal sealed class NonSeekableStream(Stream inner, long failAfterBytes = -1) : ForwardOnlyStream
{
    private long _read;

    public bool Disposed { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (failAfterBytes >= 0 && _read >= failAfterBytes) throw new IOException("simulated pipe failure");
        // Deliver small, uneven pieces like a pipe does.
        int n = inner.Read(buffer[..Math.Min(buffer.Length, 3001)]);
        _read += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>A seekable stream that claims the full length but stops delivering (or throws) after a byte budget.</summary>
internal sealed class FailingSeekableStream(byte[] data, long budget, bool throwInsteadOfEnd) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => data.Length;
    public override long Position { get => _position; set => _position = value; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= budget)
        {
            if (throwInsteadOfEnd) throw new IOException("simulated network failure");
            return 0;
        }
        int n = (int)Math.Min(Math.Min(buffer.Length, data.Length - _position), budget - _position);
        if (n <= 0) return 0;
        data.AsSpan((int)_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
        => _position = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => data.Length + offset };

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
