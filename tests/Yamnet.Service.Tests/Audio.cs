using System.Buffers.Binary;
using System.Text;

namespace Yamnet.Service.Tests;

/// <summary>Test audio as raw S16LE bytes: the meow clip, silence, and scenes built from them.</summary>
public static class Audio
{
    public const int Rate = 16000;

    private static readonly Lazy<short[]> s_meow = new(() => Pcm16(Yamnet.Tests.TestAssets.Meow));

    public static short[] Meow => s_meow.Value;

    public static short[] Pcm16(string wavPath)
    {
        byte[] b = File.ReadAllBytes(wavPath);
        int p = 12;
        while (p + 8 <= b.Length)
        {
            string id = Encoding.ASCII.GetString(b, p, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(p + 4));
            if (id == "data")
            {
                var s = new short[Math.Min(size, b.Length - p - 8) / 2];
                for (int i = 0; i < s.Length; i++) s[i] = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(p + 8 + 2 * i));
                return s;
            }
            p += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no data chunk");
    }

    public static short[] Silence(double seconds) => new short[(int)Math.Round(seconds * Rate)];

    public static short[] Concat(params short[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] Bytes(short[] samples)
    {
        var b = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(2 * i), samples[i]);
        return b;
    }

    /// <summary>A streaming WAV header (data size 0xFFFFFFFF: until the stream ends).</summary>
    public static byte[] StreamingWavHeader()
    {
        var h = new byte[44];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(h, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), uint.MaxValue);
        Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(h, 8);
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(h.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(h.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(24), Rate);
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(28), Rate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(h.AsSpan(32), 2);
        BinaryPrimitives.WriteInt16LittleEndian(h.AsSpan(34), 16);
        Encoding.ASCII.GetBytes("data").CopyTo(h, 36);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(40), uint.MaxValue);
        return h;
    }
}
