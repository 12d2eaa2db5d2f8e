using System.Buffers.Binary;
using System.Text;

namespace Yamnet.TfLite;

/// <summary>
/// Writes new FlatBuffers objects in front of an existing flatbuffer, whose bytes follow unchanged.
/// Why in front: FlatBuffers offsets are unsigned and point forward, so a new table can refer to an
/// old object (a tensor, an operator, a buffer) only from before it; the old objects keep their
/// offsets among themselves because they all move by the same amount. That amount is a multiple of
/// 16, so constant buffers stay 16-byte aligned (the schema's force_align). Objects are written
/// parent before child, so every offset written here points forward too, and byte 0 becomes the root
/// offset to the new root table. Absolute positions stored in the old file (Buffer.offset and
/// Operator.large_custom_options_offset, used by models over 2 GB) would no longer hold: callers
/// refuse such models.
/// </summary>
internal sealed class FlatBufferFront
{
    /// <summary>Something an offset can point at: an object of the old file or a new one.</summary>
    internal abstract class Node;

    /// <summary>An object of the old file at <see cref="Position"/> (a table's start, a vector's or string's length prefix).</summary>
    internal sealed class Old(int position) : Node
    {
        internal int Position { get; } = position;
    }

    /// <summary>A new table; each field is a scalar (its little-endian bytes) or an offset to a node.</summary>
    internal sealed class Table : Node
    {
        internal SortedDictionary<int, object> Fields { get; } = new();

        internal Table Set(int id, Node target) { Fields[id] = target; return this; }
        internal Table Set(int id, byte[] scalar) { Fields[id] = scalar; return this; }
        internal Table SetUInt32(int id, uint value) => Set(id, BitConverter.GetBytes(value));
        internal Table SetInt32(int id, int value) => Set(id, BitConverter.GetBytes(value));
        internal Table SetByte(int id, byte value) => Set(id, [value]);
    }

    /// <summary>A new vector of offsets.</summary>
    internal sealed class Vector(IReadOnlyList<Node> elements) : Node
    {
        internal IReadOnlyList<Node> Elements { get; } = elements;
    }

    /// <summary>A new vector of scalars (or a string: its UTF-8 bytes, NUL-terminated).</summary>
    internal sealed class Blob(byte[] data, int count, int alignment, bool terminate = false) : Node
    {
        internal byte[] Data { get; } = data;
        internal int Count { get; } = count;
        internal int Alignment { get; } = alignment;
        internal bool Terminate { get; } = terminate;

        internal static Blob Ints(ReadOnlySpan<int> values)
        {
            var data = new byte[4 * values.Length];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4 * i), values[i]);
            return new Blob(data, values.Length, 4);
        }

        internal static Blob String(string s) => new(Encoding.UTF8.GetBytes(s), Encoding.UTF8.GetByteCount(s), 4, terminate: true);
    }

    private byte[] _front = new byte[4096];
    private int _length = 8; // the root offset and the file identifier
    private readonly List<(int At, int OldPosition)> _oldRefs = [];

    private int _rootAt;
    private int _shift;

    /// <summary>Lays out the front rooted at <paramref name="root"/>; <see cref="Length"/> then tells the new file's size.</summary>
    internal static FlatBufferFront Layout(Table root)
    {
        var w = new FlatBufferFront();
        w._rootAt = w.Emit(root);
        w._shift = (w._length + 15) & ~15;
        return w;
    }

    /// <summary>The size of the new file over an old one of <paramref name="oldLength"/> bytes.</summary>
    internal long Length(int oldLength) => (long)_shift + oldLength;

    /// <summary>
    /// Writes the new file (the front, then <paramref name="old"/>) into <paramref name="destination"/>,
    /// which is <see cref="Length"/> bytes long: straight into the native buffer TFLite will run, so a
    /// start-up pays for no managed copy of the model.
    /// </summary>
    internal void WriteTo(Span<byte> destination, ReadOnlySpan<byte> old)
    {
        if (destination.Length != Length(old.Length)) throw new ArgumentException("the destination is not the new file's size", nameof(destination));
        _front.AsSpan(0, _length).CopyTo(destination);
        destination[_length.._shift].Clear();
        old.CopyTo(destination[_shift..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)_rootAt);
        old.Slice(4, 4).CopyTo(destination[4..]); // file identifier ("TFL3")
        foreach (var (at, position) in _oldRefs)
            BinaryPrimitives.WriteUInt32LittleEndian(destination[at..], (uint)(_shift + position - at));
    }

    /// <summary>The new file as an array: the front followed by <paramref name="old"/>.</summary>
    internal byte[] ToArray(ReadOnlySpan<byte> old)
    {
        long total = Length(old.Length);
        if (total > TfLiteModel.MaxModelBytes) throw new InvalidModelException("the model is too large to derive from");
        var bytes = new byte[total];
        WriteTo(bytes, old);
        return bytes;
    }

    /// <summary>Writes <paramref name="node"/> and then everything it points at; returns where it starts.</summary>
    private int Emit(Node node)
    {
        switch (node)
        {
            case Table table:
                return EmitTable(table);
            case Vector vector:
            {
                int start = Reserve(4 + 4 * vector.Elements.Count, 4, 0);
                WriteUInt32(start, (uint)vector.Elements.Count);
                for (int i = 0; i < vector.Elements.Count; i++) Link(start + 4 + 4 * i, vector.Elements[i]);
                return start;
            }
            case Blob blob:
            {
                int size = 4 + blob.Data.Length + (blob.Terminate ? 1 : 0);
                // The data after the length prefix starts on the blob's alignment.
                int start = Reserve(size, blob.Alignment, 4);
                WriteUInt32(start, (uint)blob.Count);
                blob.Data.CopyTo(_front.AsSpan(start + 4));
                return start;
            }
            default:
                throw new InvalidOperationException("an old object is not emitted");
        }
    }

    private int EmitTable(Table table)
    {
        // Layout: the soffset to the vtable, then the fields, widest first, each on its own alignment.
        var layout = new List<(int Id, int Offset, object Value)>();
        int objectSize = 4;
        foreach (var (id, value) in table.Fields.OrderByDescending(f => f.Value is byte[] b ? b.Length : 4))
        {
            int size = value is byte[] scalar ? scalar.Length : 4;
            objectSize = (objectSize + size - 1) / size * size;
            layout.Add((id, objectSize, value));
            objectSize += size;
        }
        int maxId = table.Fields.Count == 0 ? -1 : table.Fields.Keys.Max();
        int vtableSize = 4 + 2 * (maxId + 1);
        // The vtable sits right before the table, which starts on 8 bytes.
        int tableStart = (_length + vtableSize + 7) & ~7;
        int vtable = tableStart - vtableSize;
        Grow(tableStart + objectSize);
        _front.AsSpan(_length, tableStart + objectSize - _length).Clear();
        _length = tableStart + objectSize;
        BinaryPrimitives.WriteUInt16LittleEndian(_front.AsSpan(vtable), (ushort)vtableSize);
        BinaryPrimitives.WriteUInt16LittleEndian(_front.AsSpan(vtable + 2), (ushort)objectSize);
        BinaryPrimitives.WriteInt32LittleEndian(_front.AsSpan(tableStart), tableStart - vtable);
        foreach (var (id, offset, value) in layout)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_front.AsSpan(vtable + 4 + 2 * id), (ushort)offset);
            if (value is byte[] scalar) scalar.CopyTo(_front.AsSpan(tableStart + offset));
        }
        foreach (var (_, offset, value) in layout)
            if (value is Node target) Link(tableStart + offset, target);
        return tableStart;
    }

    /// <summary>Points the offset at <paramref name="at"/> to <paramref name="target"/>, writing a new target now (after <paramref name="at"/>).</summary>
    private void Link(int at, Node target)
    {
        if (target is Old old) _oldRefs.Add((at, old.Position));
        else WriteUInt32(at, (uint)(Emit(target) - at));
    }

    /// <summary>Reserves <paramref name="size"/> zeroed bytes such that position + <paramref name="skew"/> is aligned to <paramref name="alignment"/>.</summary>
    private int Reserve(int size, int alignment, int skew)
    {
        int start = ((_length + skew + alignment - 1) / alignment * alignment) - skew;
        Grow(start + size);
        _front.AsSpan(_length, start + size - _length).Clear();
        _length = start + size;
        return start;
    }

    private void Grow(long needed)
    {
        if (needed > TfLiteModel.MaxModelBytes) throw new InvalidModelException("the model is too large to derive from");
        if (needed > _front.Length) Array.Resize(ref _front, (int)Math.Min(TfLiteModel.MaxModelBytes, Math.Max(needed, 2L * _front.Length)));
    }

    private void WriteUInt32(int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_front.AsSpan(at), value);
}
