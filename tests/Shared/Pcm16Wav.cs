using System.Buffers.Binary;
using System.Text;

namespace Yamnet.Tests;

/// <summary>
/// An independent reader for 16-bit PCM mono WAV (RIFF chunks walked by hand), so tests can check
/// the library's decoding against samples computed without it: int16 / 32768f.
/// </summary>
public static class Pcm16Wav
{
    public static float[] Read(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        if (Encoding.ASCII.GetString(b, 0, 4) != "RIFF" || Encoding.ASCII.GetString(b, 8, 4) != "WAVE") throw new InvalidDataException("not RIFF/WAVE");
        int p = 12;
        short channels = 0, bits = 0;
        while (p + 8 <= b.Length)
        {
            string id = Encoding.ASCII.GetString(b, p, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(p + 4));
            if (id == "fmt ")
            {
                channels = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(p + 10));
                bits = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(p + 22));
            }
            else if (id == "data")
            {
                if (channels != 1 || bits != 16) throw new InvalidDataException("expected 16-bit mono");
                int n = Math.Min(size, b.Length - p - 8) / 2;
                var samples = new float[n];
                for (int i = 0; i < n; i++) samples[i] = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(p + 8 + 2 * i)) / 32768f;
                return samples;
            }
            p += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no data chunk");
    }
}

/// <summary>One row of a ../shared/golden/*.top5.csv file.</summary>
public readonly record struct GoldenRow(int Window, long StartSample, int Rank, int Index, float Score)
{
    public static List<GoldenRow> Read(string path)
        => File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var f = l.Split(',');
            return new GoldenRow(int.Parse(f[0]), long.Parse(f[1]), int.Parse(f[2]), int.Parse(f[3]),
                float.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture));
        }).ToList();
}
