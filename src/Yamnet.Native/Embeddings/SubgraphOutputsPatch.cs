using System.Buffers.Binary;
using Yamnet.TfLite;

namespace Yamnet.Embeddings;

/// <summary>
/// Rewrites the main subgraph's outputs vector of a TFLite flatbuffer, in memory. The patch is the
/// smallest one FlatBuffers allows: a new int32 vector is appended after the last byte of the file
/// and the subgraph's <c>outputs</c> offset is pointed at it. FlatBuffers offsets are unsigned and
/// point forward, so an offset stored anywhere in the file can always reach the end; nothing else
/// moves, so every other offset (and anything appended after the flatbuffer, such as the label ZIP)
/// keeps its meaning. The existing outputs stay first and in order: XNNPACK's QS8 path crashed
/// when output 0 was replaced, and appending leaves the scores bit-identical.
/// </summary>
internal static class SubgraphOutputsPatch
{
    private const int ModelSubgraphs = 2, SubgraphOutputs = 2;

    /// <summary>A copy of <paramref name="model"/> whose subgraph 0 outputs are its own followed by <paramref name="extra"/>.</summary>
    internal static byte[] AppendOutputs(ReadOnlySpan<byte> model, ReadOnlySpan<int> extra)
    {
        var fb = new FlatBufferReader(model);
        int root = fb.RootTable();
        var (subgraphs, count) = fb.VectorField(root, ModelSubgraphs, 4);
        if (count == 0) throw new InvalidModelException("the model has no subgraph");
        int sg = fb.TableAt(subgraphs, 0);
        int field = fb.Field(sg, SubgraphOutputs);
        if (field < 0) throw new InvalidModelException("the main subgraph has no outputs");
        var (outputs, outputCount) = fb.VectorField(sg, SubgraphOutputs, 4);

        int vector = (model.Length + 3) & ~3;   // the length prefix must be 4-byte aligned
        long total = (long)vector + 4 + 4L * (outputCount + extra.Length);
        if (total > TfLiteModel.MaxModelBytes) throw new InvalidModelException("the model is too large to derive from");
        var bytes = new byte[total];
        model.CopyTo(bytes);
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span[field..], (uint)(vector - field));
        BinaryPrimitives.WriteInt32LittleEndian(span[vector..], outputCount + extra.Length);
        for (int i = 0; i < outputCount; i++)
            BinaryPrimitives.WriteInt32LittleEndian(span[(vector + 4 + 4 * i)..], fb.ReadInt32(outputs + 4 * i));
        for (int i = 0; i < extra.Length; i++)
            BinaryPrimitives.WriteInt32LittleEndian(span[(vector + 4 + 4 * (outputCount + i))..], extra[i]);
        return bytes;
    }
}
