using System.Buffers.Binary;
using System.Text;

namespace Yamnet.Cli.Output;

/// <summary>
/// Streams a 2-D little-endian array in NumPy's .npy format (version 1.0), row by row, without
/// knowing the row count up front: the header is written padded to a fixed 128 bytes and rewritten
/// with the final shape by <see cref="Finish"/>, so the stream must be seekable (a file).
/// </summary>
public sealed class NpyArrayWriter
{
    private const int HeaderBytes = 128;
    private readonly Stream _stream;
    private readonly string _descr;
    private readonly int _columns;
    private readonly byte[] _row;
    private long _rows;

    /// <param name="descr">The NumPy dtype string: <c>&lt;f4</c> (float32) or <c>&lt;f8</c> (float64).</param>
    public NpyArrayWriter(Stream stream, string descr, int columns)
    {
        if (!stream.CanSeek) throw new ArgumentException(".npy output needs a seekable file", nameof(stream));
        _stream = stream;
        _descr = descr;
        _columns = columns;
        _row = new byte[columns * (descr == "<f8" ? 8 : 4)];
        _stream.Write(Header(0));
    }

    public long Rows => _rows;

    public void WriteRow(ReadOnlySpan<float> values)
    {
        if (values.Length != _columns || _descr != "<f4") throw new ArgumentException($"expected {_columns} float32 values");
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(_row.AsSpan(4 * i), values[i]);
        _stream.Write(_row);
        _rows++;
    }

    public void WriteRow(ReadOnlySpan<double> values)
    {
        if (values.Length != _columns || _descr != "<f8") throw new ArgumentException($"expected {_columns} float64 values");
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(_row.AsSpan(8 * i), values[i]);
        _stream.Write(_row);
        _rows++;
    }

    /// <summary>Rewrites the header with the final row count and returns to the end.</summary>
    public void Finish()
    {
        long end = _stream.Position;
        _stream.Position = 0;
        _stream.Write(Header(_rows));
        _stream.Position = end;
        _stream.Flush();
    }

    private byte[] Header(long rows)
    {
        string dict = $"{{'descr': '{_descr}', 'fortran_order': False, 'shape': ({rows}, {_columns}), }}";
        // magic (6) + version (2) + header length (2) + dict padded with spaces + '\n' = 128 bytes.
        var header = new byte[HeaderBytes];
        header[0] = 0x93;
        "NUMPY"u8.CopyTo(header.AsSpan(1));
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), HeaderBytes - 10);
        header.AsSpan(10).Fill((byte)' ');
        int n = Encoding.ASCII.GetBytes(dict, header.AsSpan(10));
        if (10 + n >= HeaderBytes) throw new InvalidOperationException("npy header overflow");
        header[HeaderBytes - 1] = (byte)'\n';
        return header;
    }
}
