using System.Buffers.Binary;

namespace Yamnet.Tests;

/// <summary>
/// Edits of a .tflite file done by hand on its flatbuffer (independent of the library's reader):
/// re-pointing the graph output at another tensor and removing or cutting the label zip that the
/// Task Library appends. These make the well-formed models that crash TFLite 2.9's XNNPACK delegate.
/// </summary>
public static class ModelSurgery
{
    /// <summary>The model with its first subgraph's output <paramref name="outputIndex"/> pointed at <paramref name="tensor"/>.</summary>
    public static byte[] PointOutputAt(byte[] model, int tensor, int outputIndex = 0)
    {
        var bytes = (byte[])model.Clone();
        int root = U32(bytes, 0);
        int subgraphs = Vector(bytes, root, 2, out int count);
        if (count < 1) throw new InvalidDataException("no subgraph");
        int q = subgraphs;
        int subgraph = q + U32(bytes, q);
        int outputs = Vector(bytes, subgraph, 2, out int outputCount);
        if (outputIndex >= outputCount) throw new InvalidDataException("no such output");
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(outputs + 4 * outputIndex), tensor);
        return bytes;
    }

    /// <summary>The tensor count of the first subgraph.</summary>
    public static int TensorCount(byte[] model)
    {
        int root = U32(model, 0);
        int subgraphs = Vector(model, root, 2, out _);
        int subgraph = subgraphs + U32(model, subgraphs);
        Vector(model, subgraph, 0, out int n);
        return n;
    }

    /// <summary>
    /// Where the appended label zip starts, or -1: the first central-directory entry's local header
    /// offset (absolute in the Task Library's files, which open as a zip as a whole; else relative to
    /// the zip's start, found from the end-of-central-directory record).
    /// </summary>
    public static int ZipStart(byte[] model)
    {
        for (int p = model.Length - 22; p >= Math.Max(0, model.Length - 22 - 65535); p--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(model.AsSpan(p)) != 0x06054b50) continue;
            int cdSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(model.AsSpan(p + 12));
            int cdOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(model.AsSpan(p + 16));
            int zipBase = p - cdSize - cdOffset;
            int entry = zipBase + cdOffset;
            if (BinaryPrimitives.ReadUInt32LittleEndian(model.AsSpan(entry)) != 0x02014b50) return -1;
            return zipBase + (int)BinaryPrimitives.ReadUInt32LittleEndian(model.AsSpan(entry + 42));
        }
        return -1;
    }

    /// <summary>The flatbuffer alone, without the appended label zip.</summary>
    public static byte[] WithoutLabelZip(byte[] model)
    {
        int start = ZipStart(model);
        return start < 0 ? model : model[..start];
    }

    /// <summary>The model with its label zip cut <paramref name="keepBytes"/> bytes in (as an interrupted download leaves it).</summary>
    public static byte[] WithCutLabelZip(byte[] model, int keepBytes)
    {
        int start = ZipStart(model);
        if (start < 0) throw new InvalidDataException("no label zip");
        return model[..Math.Min(model.Length, start + keepBytes)];
    }

    private static int U32(byte[] b, int p) => (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(p));

    private static int Vector(byte[] b, int table, int field, out int count)
    {
        int vtable = table - BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(table));
        int vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(vtable));
        int slot = 4 + 2 * field;
        int off = slot < vtableSize ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(vtable + slot)) : 0;
        if (off == 0) throw new InvalidDataException($"field {field} absent");
        int p = table + off;
        int vector = p + U32(b, p);
        count = U32(b, vector);
        return vector + 4;
    }
}
