using System.Buffers.Binary;
using Yamnet.Audio;

namespace Yamnet.Tests;

/// <summary>
/// The seeded audio fuzz corpus, shared by the in-process decoder fuzz (Yamnet.Native.Tests) and the
/// whole-CLI fuzz (Yamnet.Cli.Tests): one small file per supported container/codec, and numbered
/// mutations of each (header fields set to extremes, truncation, random byte runs, bit flips).
/// </summary>
internal static class AudioFuzzCorpus
{
    internal static readonly (AudioContainer Container, AudioEncoding Encoding, int Rate, int Channels)[] Formats =
    [
        (AudioContainer.Wav, AudioEncoding.Pcm16, 16000, 1),
        (AudioContainer.WavEx, AudioEncoding.Float32, 44100, 2),
        (AudioContainer.Aiff, AudioEncoding.Pcm24, 22050, 1),
        (AudioContainer.Au, AudioEncoding.ULaw, 8000, 1),
        (AudioContainer.Caf, AudioEncoding.ALaw, 16000, 2),
        (AudioContainer.W64, AudioEncoding.Pcm32, 48000, 1),
        (AudioContainer.Flac, AudioEncoding.Pcm16, 16000, 1),
        (AudioContainer.Ogg, AudioEncoding.Vorbis, 44100, 2),
        (AudioContainer.Ogg, AudioEncoding.Opus, 48000, 1),
        (AudioContainer.Mpeg, AudioEncoding.Mp3, 44100, 1),
    ];

    /// <summary>The seed file of one format: 0.6 s of a tone with a little noise, written by libsndfile.</summary>
    internal static byte[] Seed(int format)
    {
        var (container, encoding, rate, channels) = Formats[format];
        int frames = rate * 6 / 10;
        var samples = new float[frames * channels];
        var rng = new Random(format);
        for (int i = 0; i < samples.Length; i++) samples[i] = 0.3f * MathF.Sin(i * 0.05f) + 0.1f * (float)(rng.NextDouble() - 0.5);
        string path = Path.Combine(TestAssets.NewTempDir("fuzz-seed"), "seed");
        AudioFileWriter.WriteFile(path, samples, rate, channels, container, encoding);
        return File.ReadAllBytes(path);
    }

    /// <summary>Mutation <paramref name="n"/> of a seed: the same bytes on every machine.</summary>
    internal static (byte[] Bytes, string What) Mutate(byte[] seed, int n)
    {
        var rng = new Random(unchecked(n * 104729 + 7));
        var b = (byte[])seed.Clone();
        int headerSpan = Math.Min(b.Length, 128);
        switch (n % 5)
        {
            case 0: // a 32-bit header field set to an extreme (rates, sizes, channel counts live here)
            {
                int at = rng.Next(Math.Max(1, headerSpan - 4)) & ~1;
                uint[] extremes = [0, 1, 7, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 65535, 1000, 2];
                uint v = extremes[rng.Next(extremes.Length)];
                if (at + 4 <= b.Length) BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
                return (b, $"#{n} header u32 {v} at {at}");
            }
            case 1: // a 16-bit header field set to an extreme (big-endian formats too)
            {
                int at = rng.Next(Math.Max(1, headerSpan - 2));
                ushort[] extremes = [0, 1, 0xFFFF, 0x8000, 1024, 3];
                ushort v = extremes[rng.Next(extremes.Length)];
                if (at + 2 <= b.Length) BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), v);
                return (b, $"#{n} header u16 {v} at {at}");
            }
            case 2:
            {
                int length = rng.Next(0, b.Length);
                return (b[..length], $"#{n} truncated to {length}");
            }
            case 3:
            {
                int at = rng.Next(b.Length);
                int run = rng.Next(1, 1024);
                for (int i = 0; i < run && at + i < b.Length; i++) b[at + i] = (byte)rng.Next(256);
                return (b, $"#{n} {run} random bytes at {at}");
            }
            default:
            {
                for (int k = 0; k < 8; k++) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                return (b, $"#{n} 8 bit flips");
            }
        }
    }
}
