namespace Yamnet.TfLite;

/// <summary>
/// Checks a TFLite flatbuffer (schema v3) before TFLite sees it. TfLiteModelCreate rejects
/// structurally broken buffers, but a well-formed buffer with bad values (a tensor index out of
/// range, a shape that disagrees with its constant data, a zero stride, a NaN quantization scale)
/// can crash Invoke. Everything TFLite itself trusts and later indexes with is checked here.
/// </summary>
internal static class ModelValidator
{
    // schema.fbs field ids
    private const int ModelVersion = 0, ModelOperatorCodes = 1, ModelSubgraphs = 2, ModelBuffers = 4, ModelMetadata = 6;
    private const int SubgraphTensors = 0, SubgraphInputs = 1, SubgraphOutputs = 2, SubgraphOperators = 3;
    private const int TensorShape = 0, TensorTypeField = 1, TensorBuffer = 2, TensorQuantization = 4, TensorSparsity = 6, TensorShapeSignature = 7;
    private const int QuantScale = 2, QuantZeroPoint = 3, QuantDimension = 6;
    private const int OperatorOpcodeIndex = 0, OperatorInputs = 1, OperatorOutputs = 2, OperatorBuiltinOptionsType = 3, OperatorBuiltinOptions = 4, OperatorIntermediates = 8;
    private const int OpcodeDeprecatedBuiltin = 0, OpcodeBuiltin = 3;
    private const int BufferData = 0;

    // Element sizes by schema TensorType (which numbers types differently from the C API).
    private static ReadOnlySpan<sbyte> SchemaTypeSizes => [4, 2, 4, 1, 8, -1, 1, 2, 8, 1, 8, 16, 8, -1, -1, 4];

    private const long MaxElements = 1L << 28;

    internal static void Validate(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) throw new InvalidModelException("the model file is empty");
        if (bytes.Length < 8 || bytes[4] != (byte)'T' || bytes[5] != (byte)'F' || bytes[6] != (byte)'L' || bytes[7] != (byte)'3')
            throw new InvalidModelException("not a TFLite model (no 'TFL3' flatbuffer identifier)");

        var fb = new FlatBufferReader(bytes);
        int model = fb.RootTable();
        uint version = fb.UInt32Field(model, ModelVersion);
        if (version != 3) throw new InvalidModelException($"unsupported schema version {version} (expected 3)");

        var (buffers, bufferCount) = fb.VectorField(model, ModelBuffers, 4);
        var (opcodes, opcodeCount) = fb.VectorField(model, ModelOperatorCodes, 4);
        var builtinCodes = new int[opcodeCount];
        for (int i = 0; i < opcodeCount; i++)
        {
            int oc = fb.TableAt(opcodes, i);
            int code = Math.Max(fb.ByteField(oc, OpcodeDeprecatedBuiltin), fb.Int32Field(oc, OpcodeBuiltin));
            if (code < 0 || code > 200) throw new InvalidModelException($"operator code {i} has unknown builtin code {code}");
            builtinCodes[i] = code;
        }

        var (subgraphs, subgraphCount) = fb.VectorField(model, ModelSubgraphs, 4);
        if (subgraphCount == 0) throw new InvalidModelException("the model has no subgraph");
        for (int s = 0; s < subgraphCount; s++)
        {
            int sg = fb.TableAt(subgraphs, s);
            var (tensors, tensorCount) = fb.VectorField(sg, SubgraphTensors, 4);
            for (int t = 0; t < tensorCount; t++)
                ValidateTensor(ref fb, fb.TableAt(tensors, t), s, t, buffers, bufferCount);

            CheckIndices(ref fb, sg, SubgraphInputs, tensorCount, allowOptional: false, $"subgraph {s} inputs");
            CheckIndices(ref fb, sg, SubgraphOutputs, tensorCount, allowOptional: false, $"subgraph {s} outputs");
            if (s == 0 && (fb.VectorField(sg, SubgraphInputs, 4).Count == 0 || fb.VectorField(sg, SubgraphOutputs, 4).Count == 0))
                throw new InvalidModelException("the main subgraph has no inputs or no outputs");

            var (ops, opCount) = fb.VectorField(sg, SubgraphOperators, 4);
            for (int o = 0; o < opCount; o++)
            {
                int op = fb.TableAt(ops, o);
                uint opcodeIndex = fb.UInt32Field(op, OperatorOpcodeIndex);
                if (opcodeIndex >= (uint)opcodeCount)
                    throw new InvalidModelException($"operator {o} of subgraph {s} uses opcode {opcodeIndex} of {opcodeCount}");
                CheckIndices(ref fb, op, OperatorInputs, tensorCount, allowOptional: true, $"operator {o} inputs");
                CheckIndices(ref fb, op, OperatorOutputs, tensorCount, allowOptional: false, $"operator {o} outputs");
                CheckIndices(ref fb, op, OperatorIntermediates, tensorCount, allowOptional: false, $"operator {o} intermediates");
                BuiltinOptionsValidator.Validate(ref fb, op, fb.ByteField(op, OperatorBuiltinOptionsType), fb.TableField(op, OperatorBuiltinOptions), o);
            }
        }

        var (metadata, metadataCount) = fb.VectorField(model, ModelMetadata, 4);
        for (int m = 0; m < metadataCount; m++)
        {
            uint buffer = fb.UInt32Field(fb.TableAt(metadata, m), 1);
            if (buffer >= (uint)bufferCount) throw new InvalidModelException($"metadata {m} names buffer {buffer} of {bufferCount}");
        }
    }

    private static void ValidateTensor(ref FlatBufferReader fb, int tensor, int s, int t, int buffers, int bufferCount)
    {
        string where = $"tensor {t} of subgraph {s}";
        int type = fb.ByteField(tensor, TensorTypeField);
        if (type >= SchemaTypeSizes.Length) throw new InvalidModelException($"{where} has unknown type {type}");

        var (shape, rank) = fb.VectorField(tensor, TensorShape, 4);
        if (rank > 8) throw new InvalidModelException($"{where} has rank {rank}");
        long elements = 1;
        for (int d = 0; d < rank; d++)
        {
            int dim = fb.ReadInt32(shape + 4 * d);
            if (dim < 0) throw new InvalidModelException($"{where} has negative dimension {dim}");
            elements *= dim;
            if (elements > MaxElements) throw new InvalidModelException($"{where} has over {MaxElements} elements");
        }
        var (signature, signatureRank) = fb.VectorField(tensor, TensorShapeSignature, 4);
        if (signature >= 0 && signatureRank != rank) throw new InvalidModelException($"{where} has a shape signature of rank {signatureRank} for rank {rank}");
        for (int d = 0; d < signatureRank; d++)
        {
            int dim = fb.ReadInt32(signature + 4 * d);
            if (dim < -1) throw new InvalidModelException($"{where} has signature dimension {dim}");
        }

        uint buffer = fb.UInt32Field(tensor, TensorBuffer);
        if (buffer >= (uint)bufferCount) throw new InvalidModelException($"{where} names buffer {buffer} of {bufferCount}");
        var (_, dataLength) = fb.VectorField(fb.TableAt(buffers, (int)buffer), BufferData, 1);
        int size = SchemaTypeSizes[type];
        bool sparse = fb.Field(tensor, TensorSparsity) >= 0;
        if (dataLength > 0 && size > 0 && !sparse && dataLength != elements * size)
            throw new InvalidModelException($"{where} holds {dataLength} bytes of constant data for {elements} elements of {size} bytes");

        int quant = fb.TableField(tensor, TensorQuantization);
        if (quant >= 0)
        {
            var (scales, scaleCount) = fb.VectorField(quant, QuantScale, 4);
            var (_, zeroCount) = fb.VectorField(quant, QuantZeroPoint, 8);
            for (int i = 0; i < scaleCount; i++)
            {
                float scale = fb.ReadSingle(scales + 4 * i);
                if (!float.IsFinite(scale) || scale < 0) throw new InvalidModelException($"{where} has quantization scale {scale}");
            }
            if (scaleCount > 1)
            {
                int qd = fb.Int32Field(quant, QuantDimension);
                if (qd < 0 || qd >= rank) throw new InvalidModelException($"{where} quantizes along dimension {qd} of rank {rank}");
                if (zeroCount != 0 && zeroCount != scaleCount) throw new InvalidModelException($"{where} has {scaleCount} scales but {zeroCount} zero points");
                if (scaleCount != fb.ReadInt32(shape + 4 * qd)) throw new InvalidModelException($"{where} has {scaleCount} scales for dimension {qd}");
            }
        }
    }

    private static void CheckIndices(ref FlatBufferReader fb, int table, int field, int tensorCount, bool allowOptional, string what)
    {
        var (start, count) = fb.VectorField(table, field, 4);
        for (int i = 0; i < count; i++)
        {
            int index = fb.ReadInt32(start + 4 * i);
            if (index >= tensorCount || index < (allowOptional ? -1 : 0))
                throw new InvalidModelException($"{what} refer to tensor {index} of {tensorCount}");
        }
    }
}
