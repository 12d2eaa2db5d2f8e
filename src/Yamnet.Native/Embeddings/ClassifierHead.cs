using Yamnet.TfLite;

namespace Yamnet.Embeddings;

/// <summary>
/// The model's own final layer as stored in the flatbuffer: the FULLY_CONNECTED weights and bias
/// (quantized or float) with every scale and zero point, and the quantization of the logits and of
/// the LOGISTIC's output. Lets an embedding be pushed through the layer outside TFLite (the
/// consistency check of <see cref="ExtraOutputs.Embedding"/>, or a custom head trained beside it).
/// </summary>
internal sealed class ClassifierHead
{
    private const int ModelSubgraphs = 2, ModelBuffers = 4, SubgraphTensors = 0;
    private const int TensorShape = 0, TensorTypeField = 1, TensorBuffer = 2, TensorQuantization = 4;
    private const int QuantScale = 2, QuantZeroPoint = 3;
    private const int SchemaFloat32 = 0, SchemaInt32 = 2, SchemaInt8 = 9;

    /// <summary>Classes (output rows) and embedding length (columns).</summary>
    internal int Classes { get; private init; }
    internal int Inputs { get; private init; }

    /// <summary>Weights row-major [Classes, Inputs]: int8 values in <see cref="QuantizedWeights"/>, or floats in <see cref="FloatWeights"/>.</summary>
    internal sbyte[]? QuantizedWeights { get; private init; }
    internal float[]? FloatWeights { get; private init; }
    internal int[]? QuantizedBias { get; private init; }
    internal float[]? FloatBias { get; private init; }

    /// <summary>Per-class weight scales (one value repeated for per-tensor quantization).</summary>
    internal float[] WeightScales { get; private init; } = [];
    internal long WeightZeroPoint { get; private init; }
    internal (float Scale, long ZeroPoint) Embedding { get; private init; }
    internal (float Scale, long ZeroPoint) Logits { get; private init; }
    internal (float Scale, long ZeroPoint) Sigmoid { get; private init; }

    internal bool IsQuantized => QuantizedWeights is not null;

    internal static ClassifierHead Read(ReadOnlySpan<byte> bytes)
    {
        var graph = ClassifierGraph.Read(bytes);
        if (graph.HeadOperator < 0) throw new InvalidModelException("this model has no embedding");
        var fb = new FlatBufferReader(bytes);
        int model = fb.RootTable();
        var (buffers, _) = fb.VectorField(model, ModelBuffers, 4);
        int sg = fb.TableAt(fb.VectorField(model, ModelSubgraphs, 4).Start, 0);
        var (tensors, _) = fb.VectorField(sg, SubgraphTensors, 4);

        int w = fb.TableAt(tensors, graph.Head.Weights);
        var (shape, rank) = fb.VectorField(w, TensorShape, 4);
        if (rank != 2) throw new InvalidModelException($"the final layer's weights have rank {rank}");
        int classes = fb.ReadInt32(shape), inputs = fb.ReadInt32(shape + 4);
        int weightType = fb.ByteField(w, TensorTypeField);
        var weightData = Data(ref fb, buffers, w);
        var (wScales, wZero) = Quantization(ref fb, w);

        sbyte[]? qw = null; float[]? fw = null; int[]? qb = null; float[]? fbias = null;
        if (weightType == SchemaInt8)
        {
            qw = new sbyte[weightData.Length];
            for (int i = 0; i < qw.Length; i++) qw[i] = (sbyte)weightData[i];
        }
        else if (weightType == SchemaFloat32)
        {
            fw = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(weightData).ToArray();
        }
        else throw new InvalidModelException($"the final layer's weights have schema type {weightType}");
        if (graph.Head.Bias >= 0)
        {
            int b = fb.TableAt(tensors, graph.Head.Bias);
            var biasData = Data(ref fb, buffers, b);
            int biasType = fb.ByteField(b, TensorTypeField);
            if (biasType == SchemaInt32) qb = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(biasData).ToArray();
            else if (biasType == SchemaFloat32) fbias = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(biasData).ToArray();
        }
        var scales = new float[classes];
        for (int i = 0; i < classes; i++) scales[i] = wScales.Length == 0 ? 0 : wScales.Length == 1 ? wScales[0] : wScales[i];
        return new ClassifierHead
        {
            Classes = classes,
            Inputs = inputs,
            QuantizedWeights = qw,
            FloatWeights = fw,
            QuantizedBias = qb,
            FloatBias = fbias,
            WeightScales = scales,
            WeightZeroPoint = wZero,
            Embedding = First(Quantization(ref fb, fb.TableAt(tensors, graph.EmbeddingTensor))),
            Logits = First(Quantization(ref fb, fb.TableAt(tensors, graph.Head.Logits))),
            Sigmoid = graph.Head.Sigmoid >= 0 ? First(Quantization(ref fb, fb.TableAt(tensors, graph.Head.Sigmoid))) : default,
        };
    }

    private static (float, long) First((float[] Scales, long Zero) q) => (q.Scales.Length > 0 ? q.Scales[0] : 0f, q.Zero);

    private static ReadOnlySpan<byte> Data(ref FlatBufferReader fb, int buffers, int tensor)
    {
        uint buffer = fb.UInt32Field(tensor, TensorBuffer);
        var (start, count) = fb.VectorField(fb.TableAt(buffers, (int)buffer), 0, 1);
        if (start < 0 || count == 0) throw new InvalidModelException("the final layer's constant tensor has no data");
        return fb.Bytes(start, count);
    }

    private static (float[] Scales, long ZeroPoint) Quantization(ref FlatBufferReader fb, int tensor)
    {
        int q = fb.TableField(tensor, TensorQuantization);
        if (q < 0) return ([], 0);
        var (s, sc) = fb.VectorField(q, QuantScale, 4);
        var scales = new float[sc];
        for (int i = 0; i < sc; i++) scales[i] = fb.ReadSingle(s + 4 * i);
        var (z, zc) = fb.VectorField(q, QuantZeroPoint, 8);
        return (scales, zc > 0 ? fb.ReadInt64(z) : 0);
    }
}
