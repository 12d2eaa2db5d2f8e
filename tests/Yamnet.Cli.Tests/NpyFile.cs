using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Yamnet.Cli.Tests;

/// <summary>An independent .npy reader (format 1.0/2.0, C order, little-endian f4/f8): what numpy.load checks, done by hand.</summary>
public sealed record NpyFile(string Descr, bool FortranOrder, int[] Shape, string Header, byte[] Data)
{
    public static NpyFile Read(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        (b[0] == 0x93 && b.AsSpan(1, 5).SequenceEqual("NUMPY"u8)).Should().BeTrue("the magic string starts a .npy file");
        int major = b[6];
        major.Should().BeOneOf(1, 2);
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(8)) : BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(8));
        int start = major == 1 ? 10 : 12;
        ((start + headerLength) % 64).Should().Be(0, "numpy aligns the data to 64 bytes");
        string header = Encoding.ASCII.GetString(b, start, headerLength);
        header.Should().EndWith("\n");
        var m = Regex.Match(header, @"^\{'descr': '([<>|][a-z]\d)', 'fortran_order': (True|False), 'shape': \(([\d, ]*)\), \} *\n$");
        m.Success.Should().BeTrue($"header {header} is a numpy header dict");
        int[] shape = m.Groups[3].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        return new NpyFile(m.Groups[1].Value, m.Groups[2].Value == "True", shape, header, b[(start + headerLength)..]);
    }

    public float[] Floats()
    {
        Descr.Should().Be("<f4");
        var values = new float[Data.Length / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(Data.AsSpan(4 * i));
        return values;
    }

    public double[] Doubles()
    {
        Descr.Should().Be("<f8");
        var values = new double[Data.Length / 8];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(Data.AsSpan(8 * i));
        return values;
    }
}
