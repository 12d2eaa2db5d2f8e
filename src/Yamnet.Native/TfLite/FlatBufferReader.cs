using System.Buffers.Binary;
using System.Text;

namespace Yamnet.TfLite;

/// <summary>
/// A minimal, bounds-checked FlatBuffers reader over untrusted bytes. TFLite trusts its
/// flatbuffer more than it should (see <see cref="ModelValidator"/>), so every offset read here
/// is checked and a bad one becomes an <see cref="InvalidModelException"/>, never an
/// out-of-range access.
/// </summary>
internal readonly ref struct FlatBufferReader
{
    private readonly ReadOnlySpan<byte> _data;

    internal FlatBufferReader(ReadOnlySpan<byte> data) => _data = data;

    internal int Length => _data.Length;

    internal int RootTable()
    {
        int root = (int)ReadUInt32(0);
        CheckTable(root);
        return root;
    }

    /// <summary>The absolute position of field <paramref name="fieldId"/> of the table at <paramref name="table"/>, or -1 when absent.</summary>
    internal int Field(int table, int fieldId)
    {
        int vtable = table - ReadInt32(table);
        Check(vtable, 4);
        int vtableSize = ReadUInt16(vtable);
        int objectSize = ReadUInt16(vtable + 2);
        if (vtableSize < 4 || (vtableSize & 1) != 0) throw Bad($"vtable at {vtable} has size {vtableSize}");
        Check(vtable, vtableSize);
        int slot = 4 + 2 * fieldId;
        if (slot + 2 > vtableSize) return -1;
        int offset = ReadUInt16(vtable + slot);
        if (offset == 0) return -1;
        if (offset >= objectSize) throw Bad($"field {fieldId} at offset {offset} lies outside its table ({objectSize} bytes)");
        return table + offset;
    }

    /// <summary>How many field slots the vtable of the table at <paramref name="table"/> has (present or not).</summary>
    internal int FieldSlots(int table)
    {
        int vtable = table - ReadInt32(table);
        int vtableSize = ReadUInt16(vtable);
        return vtableSize < 4 ? 0 : (vtableSize - 4) / 2;
    }

    internal uint UInt32Field(int table, int fieldId, uint defaultValue = 0)
    {
        int p = Field(table, fieldId);
        return p < 0 ? defaultValue : ReadUInt32(p);
    }

    internal int Int32Field(int table, int fieldId, int defaultValue = 0)
    {
        int p = Field(table, fieldId);
        return p < 0 ? defaultValue : ReadInt32(p);
    }

    internal byte ByteField(int table, int fieldId, byte defaultValue = 0)
    {
        int p = Field(table, fieldId);
        if (p < 0) return defaultValue;
        Check(p, 1);
        return _data[p];
    }

    /// <summary>Follows an offset field to a table, or -1 when absent.</summary>
    internal int TableField(int table, int fieldId)
    {
        int p = Field(table, fieldId);
        if (p < 0) return -1;
        int target = p + (int)ReadUInt32(p);
        CheckTable(target);
        return target;
    }

    /// <summary>Follows an offset field to a vector: returns its element start and count (count 0 and start -1 when absent).</summary>
    internal (int Start, int Count) VectorField(int table, int fieldId, int elementSize)
    {
        int p = Field(table, fieldId);
        if (p < 0) return (-1, 0);
        long vector = (long)p + ReadUInt32(p);
        if (vector > _data.Length - 4) throw Bad($"vector field {fieldId} points outside the file");
        uint count = ReadUInt32((int)vector);
        long bytes = (long)count * elementSize;
        if (bytes > _data.Length - vector - 4) throw Bad($"vector of {count} elements runs past the end of the file");
        return ((int)vector + 4, (int)count);
    }

    /// <summary>Element <paramref name="index"/> of a vector of tables.</summary>
    internal int TableAt(int vectorStart, int index)
    {
        int p = vectorStart + 4 * index;
        int target = p + (int)ReadUInt32(p);
        CheckTable(target);
        return target;
    }

    internal string? StringField(int table, int fieldId)
    {
        var (start, count) = VectorField(table, fieldId, 1);
        return start < 0 ? null : Encoding.UTF8.GetString(_data.Slice(start, count));
    }

    internal ReadOnlySpan<byte> Bytes(int start, int count) => start < 0 ? default : _data.Slice(start, count);

    internal int ReadInt32(int p) { Check(p, 4); return BinaryPrimitives.ReadInt32LittleEndian(_data[p..]); }
    internal uint ReadUInt32(int p) { Check(p, 4); return BinaryPrimitives.ReadUInt32LittleEndian(_data[p..]); }
    internal long ReadInt64(int p) { Check(p, 8); return BinaryPrimitives.ReadInt64LittleEndian(_data[p..]); }
    internal float ReadSingle(int p) { Check(p, 4); return BinaryPrimitives.ReadSingleLittleEndian(_data[p..]); }
    private int ReadUInt16(int p) { Check(p, 2); return BinaryPrimitives.ReadUInt16LittleEndian(_data[p..]); }

    private void CheckTable(int table)
    {
        if (table < 0 || table > _data.Length - 4 || (table & 3) != 0) throw Bad($"table offset {table} is out of range or misaligned");
    }

    private void Check(int p, int size)
    {
        if (p < 0 || size < 0 || p > _data.Length - size) throw Bad($"read of {size} bytes at {p} is outside the {_data.Length}-byte file");
    }

    private static InvalidModelException Bad(string what) => new("malformed flatbuffer: " + what);
}
