using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Yamnet.Interop;

namespace Yamnet.TfLite;

/// <summary>
/// Pads the input channels of float FULLY_CONNECTED layers to a multiple of 4, in a derived copy of
/// the model that only XNNPACK interpreters run.
/// <para>
/// Why: on AMD Zen-family CPUs (AVX2/FMA3, no AVX-512) the XNNPACK inside the TFLite 2.9 prebuilt
/// picks float GEMM kernels that read the weights in blocks of 4 input channels ("s4" kernels) and
/// packs the weights rounded up to that block, but sizes the packed buffer for the unrounded count.
/// A float FULLY_CONNECTED with K % 4 != 0 input channels (YAMNet's mel filterbank: K = 257) then
/// writes past the end of a heap block while the delegate is applied, and glibc aborts the process
/// ("malloc assertion failure in sysmalloc"), in the C probe as in .NET. Measured on an AMD EPYC
/// (family 23, model 1) VM; under valgrind, whose CPUID reports an Intel CPU, the same library runs.
/// </para>
/// <para>
/// The fix is exact: a PAD operator appends K' - K zero channels to the layer's input and the
/// weights get K' - K zero columns, so every added product is 0 × 0 and the kernel computes what it
/// would have computed with its own zero-padded blocks. The scores of all golden windows stay
/// bit-identical (tests run it on every CPU with <see cref="XnnPackFloatPaddingMode.Always"/>).
/// Tensor indices of the original graph do not change (new tensors are appended), so inputs,
/// outputs and the extra outputs of Embeddings/ mean the same tensors.
/// </para>
/// </summary>
internal static class FloatGemmPadding
{
    // schema.fbs field ids and codes.
    private const int ModelOperatorCodes = 1, ModelSubgraphs = 2, ModelBuffers = 4;
    private const int SubgraphTensors = 0, SubgraphOperators = 3;
    private const int TensorShape = 0, TensorTypeField = 1, TensorBuffer = 2, TensorName = 3, TensorSparsity = 6;
    private const int OperatorOpcodeIndex = 0, OperatorInputs = 1, OperatorOutputs = 2, OperatorLargeCustomOffset = 9;
    private const int OpcodeDeprecatedBuiltin = 0, OpcodeVersion = 2, OpcodeBuiltin = 3;
    private const int BufferData = 0, BufferOffset = 1;
    private const int OpDequantize = 6, OpFullyConnected = 9, OpPad = 34;
    private const byte SchemaFloat32 = 0, SchemaInt32 = 2;
    internal const int Block = 4;

    // Field kinds of the tables that are copied into the new front: R = offset, a digit = scalar size.
    private const string ModelFields = "4RRRRRRR", SubgraphFields = "RRRRR4", OperatorFields = "4RR1RR1RR8812R";

    /// <summary>Whether XNNPACK interpreters need padded models in this process (<paramref name="mode"/>, the loaded TFLite, this CPU).</summary>
    internal static bool IsNeeded(XnnPackFloatPaddingMode mode) => mode switch
    {
        XnnPackFloatPaddingMode.Always => true,
        XnnPackFloatPaddingMode.Never => false,
        _ => TfLiteAbi.Current.XnnPackLayout == XnnPackOptionsLayout.V2_9 && s_zenCpu.Value,
    };

    private static readonly Lazy<bool> s_zenCpu = new(() =>
        RuntimeInformation.ProcessArchitecture == Architecture.X64 && File.Exists("/proc/cpuinfo") && IsZenWithoutAvx512(File.ReadAllText("/proc/cpuinfo")));

    /// <summary>
    /// True for the CPUs XNNPACK gives its "s4" float GEMM kernels: those cpuinfo calls Zen (AMD family
    /// 0x17 with model below 0x20: Naples, Summit/Pinnacle Ridge, Raven Ridge, Picasso; Zen 2 and later
    /// get other kernels) and Hygon family 0x18 (Dhyana), with FMA3 and without AVX-512 (XNNPACK takes
    /// its AVX-512 kernels first). The same table is in the 2.19 bundle's cpuinfo (uarch.c) and
    /// XNNPACK (gemm-config.c: case xnn_uarch_zen, xnn_uarch_dhyana → 4x16s4, log2_sr = 2).
    /// </summary>
    internal static bool IsZenWithoutAvx512(string cpuinfo)
    {
        string? vendor = null, family = null, model = null, flags = null;
        foreach (string raw in cpuinfo.Split('\n'))
        {
            int colon = raw.IndexOf(':');
            if (colon < 0) continue;
            string key = raw[..colon].Trim(), value = raw[(colon + 1)..].Trim();
            if (key == "processor" && vendor is not null) break; // the first processor is enough
            if (key == "vendor_id") vendor ??= value;
            else if (key == "cpu family") family ??= value;
            else if (key == "model") model ??= value;
            else if (key == "flags") flags ??= value;
        }
        if (flags is null || !int.TryParse(family, out int f)) return false;
        var set = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        bool zen = (vendor == "AuthenticAMD" && f == 0x17 && int.TryParse(model, out int m) && m < 0x20)
            || (vendor == "HygonGenuine" && f == 0x18);
        return zen && set.Contains("fma") && !set.Contains("avx512f");
    }

    /// <summary>
    /// The padded model, or null with <paramref name="refusal"/> null when no layer needs padding, or
    /// null with a reason when a layer needs it but cannot be padded (XNNPACK must then not run the model).
    /// </summary>
    internal static byte[]? Derive(ReadOnlySpan<byte> model, out int padded, out string? refusal)
    {
        return DeriveFront(model, out padded, out refusal)?.ToArray(model);
    }

    /// <summary>As <see cref="Derive"/>, but only the new front: the caller writes it and the model where it wants (<see cref="FlatBufferFront.WriteTo"/>).</summary>
    internal static FlatBufferFront? DeriveFront(ReadOnlySpan<byte> model, out int padded, out string? refusal)
    {
        padded = 0;
        refusal = null;
        var fb = new FlatBufferReader(model);
        int root = fb.RootTable();
        var (buffers, bufferCount) = fb.VectorField(root, ModelBuffers, 4);
        var (opcodes, opcodeCount) = fb.VectorField(root, ModelOperatorCodes, 4);
        var (subgraphs, subgraphCount) = fb.VectorField(root, ModelSubgraphs, 4);
        var codes = new int[opcodeCount];
        int padOpcode = -1;
        for (int i = 0; i < opcodeCount; i++)
        {
            int oc = fb.TableAt(opcodes, i);
            codes[i] = Math.Max(fb.ByteField(oc, OpcodeDeprecatedBuiltin), fb.Int32Field(oc, OpcodeBuiltin));
            if (codes[i] == OpPad && padOpcode < 0) padOpcode = i;
        }

        var found = new List<Layer>();
        bool outsideOptions = false;
        for (int s = 0; s < subgraphCount; s++)
        {
            var layers = FindLayers(ref fb, fb.TableAt(subgraphs, s), codes, buffers, out refusal, out bool large);
            if (refusal is not null) return null;
            outsideOptions |= large;
            if (layers.Count > 0 && s > 0)
            {
                refusal = $"subgraph {s} has a float FULLY_CONNECTED with input channels not a multiple of {Block}";
                return null;
            }
            found.AddRange(layers);
        }
        if (found.Count == 0) return null;

        // Offsets stored as absolute file positions would not survive the new front.
        if (outsideOptions) { refusal = "it stores custom options outside the flatbuffer (a model over 2 GB)"; return null; }
        for (int b = 0; b < bufferCount; b++)
        {
            int p = fb.Field(fb.TableAt(buffers, b), BufferOffset);
            if (p >= 0 && fb.ReadInt64(p) > 1) { refusal = "its constant data is stored outside the flatbuffer (a model over 2 GB)"; return null; }
        }
        if (bufferCount == 0 || fb.VectorField(fb.TableAt(buffers, 0), BufferData, 1).Count != 0)
        {
            refusal = "its buffer 0 is not the empty buffer";
            return null;
        }

        int sg = fb.TableAt(subgraphs, 0);
        var (tensors, tensorCount) = fb.VectorField(sg, SubgraphTensors, 4);
        var (ops, opCount) = fb.VectorField(sg, SubgraphOperators, 4);

        var newTensors = new List<FlatBufferFront.Node>(tensorCount + 3 * found.Count);
        for (int t = 0; t < tensorCount; t++) newTensors.Add(Old(ref fb, tensors, t));
        var newBuffers = new List<FlatBufferFront.Node>(bufferCount + 2 * found.Count);
        for (int b = 0; b < bufferCount; b++) newBuffers.Add(Old(ref fb, buffers, b));
        var newOpcodes = new List<FlatBufferFront.Node>();
        if (padOpcode < 0)
        {
            for (int i = 0; i < opcodeCount; i++) newOpcodes.Add(Old(ref fb, opcodes, i));
            newOpcodes.Add(new FlatBufferFront.Table().SetByte(OpcodeDeprecatedBuiltin, OpPad).SetInt32(OpcodeVersion, 1).SetInt32(OpcodeBuiltin, OpPad));
            padOpcode = opcodeCount;
        }

        var byOperator = found.ToDictionary(l => l.Operator);
        var newOps = new List<FlatBufferFront.Node>(opCount + found.Count);
        for (int o = 0; o < opCount; o++)
        {
            int op = fb.TableAt(ops, o);
            if (!byOperator.TryGetValue(o, out var layer))
            {
                newOps.Add(new FlatBufferFront.Old(op));
                continue;
            }
            int kp = (layer.K + Block - 1) / Block * Block;
            int paddedInput = newTensors.Count, paddings = paddedInput + 1, weights = paddedInput + 2;
            string name = layer.Name ?? $"tensor{layer.Input}";

            var inputShape = layer.InputShape.ToArray();
            inputShape[^1] = kp;
            newTensors.Add(Tensor(inputShape, SchemaFloat32, 0, name + "/xnnpack_pad_k"));

            var pads = new int[2 * layer.InputShape.Length];
            pads[^1] = kp - layer.K;
            newTensors.Add(Tensor([layer.InputShape.Length, 2], SchemaInt32, newBuffers.Count, name + "/xnnpack_pad_k_paddings"));
            newBuffers.Add(Buffer(FlatBufferFront.Blob.Ints(pads).Data));

            newTensors.Add(Tensor([layer.N, kp], SchemaFloat32, newBuffers.Count, name + "/xnnpack_pad_k_weights"));
            newBuffers.Add(Buffer(PaddedWeights(fb.Bytes(layer.WeightsData, layer.N * layer.K * 4), layer.N, layer.K, kp)));

            newOps.Add(new FlatBufferFront.Table()
                .SetUInt32(OperatorOpcodeIndex, (uint)padOpcode)
                .Set(OperatorInputs, FlatBufferFront.Blob.Ints([layer.Input, paddings]))
                .Set(OperatorOutputs, FlatBufferFront.Blob.Ints([paddedInput])));
            var inputs = layer.Inputs.ToArray();
            inputs[0] = paddedInput;
            inputs[1] = weights;
            var fc = Copy(ref fb, op, OperatorFields, "operator");
            fc.Set(OperatorInputs, FlatBufferFront.Blob.Ints(inputs));
            newOps.Add(fc);
            padded++;
        }

        var subgraph = Copy(ref fb, sg, SubgraphFields, "subgraph")
            .Set(SubgraphTensors, new FlatBufferFront.Vector(newTensors))
            .Set(SubgraphOperators, new FlatBufferFront.Vector(newOps));
        var allSubgraphs = new List<FlatBufferFront.Node> { subgraph };
        for (int s = 1; s < subgraphCount; s++) allSubgraphs.Add(Old(ref fb, subgraphs, s));
        var rootTable = Copy(ref fb, root, ModelFields, "model")
            .Set(ModelSubgraphs, new FlatBufferFront.Vector(allSubgraphs))
            .Set(ModelBuffers, new FlatBufferFront.Vector(newBuffers));
        if (newOpcodes.Count > 0) rootTable.Set(ModelOperatorCodes, new FlatBufferFront.Vector(newOpcodes));
        return FlatBufferFront.Layout(rootTable);
    }

    private sealed record Layer(int Operator, int[] Inputs, int Input, int[] InputShape, string? Name, int N, int K, int WeightsData);

    /// <summary>The float FULLY_CONNECTED layers of one subgraph whose constant weights have K % 4 != 0 input channels.</summary>
    private static List<Layer> FindLayers(ref FlatBufferReader fb, int sg, int[] codes, int buffers, out string? refusal, out bool largeCustomOptions)
    {
        refusal = null;
        largeCustomOptions = false;
        var result = new List<Layer>();
        var (tensors, tensorCount) = fb.VectorField(sg, SubgraphTensors, 4);
        var (ops, opCount) = fb.VectorField(sg, SubgraphOperators, 4);
        var producer = new Dictionary<int, int>();
        for (int o = 0; o < opCount; o++)
        {
            int op = fb.TableAt(ops, o);
            if (fb.Field(op, OperatorLargeCustomOffset) >= 0) largeCustomOptions = true;
            foreach (int t in Ints(ref fb, op, OperatorOutputs)) producer[t] = o;
        }
        for (int o = 0; o < opCount; o++)
        {
            int op = fb.TableAt(ops, o);
            uint code = fb.UInt32Field(op, OperatorOpcodeIndex);
            if (code >= codes.Length || codes[code] != OpFullyConnected) continue;
            int[] inputs = Ints(ref fb, op, OperatorInputs);
            if (inputs.Length < 2 || inputs[0] < 0 || inputs[1] < 0 || inputs[0] >= tensorCount || inputs[1] >= tensorCount) continue;
            int x = fb.TableAt(tensors, inputs[0]), w = fb.TableAt(tensors, inputs[1]);
            if (fb.ByteField(w, TensorTypeField) != SchemaFloat32 || fb.ByteField(x, TensorTypeField) != SchemaFloat32) continue;
            int[] wShape = Ints(ref fb, w, TensorShape);
            if (wShape.Length != 2 || wShape[1] <= 0 || wShape[1] % Block == 0) continue;
            var (data, bytes) = fb.VectorField(fb.TableAt(buffers, (int)fb.UInt32Field(w, TensorBuffer)), BufferData, 1);
            if (bytes == 0)
            {
                // Dynamic weights are not XNNPACK's to pack; weights dequantized from a constant (fp16, int8) are, the same way.
                if (!producer.TryGetValue(inputs[1], out int p) || codes[fb.UInt32Field(fb.TableAt(ops, p), OperatorOpcodeIndex)] != OpDequantize) continue;
                refusal = $"operator {o} is a FULLY_CONNECTED with dequantized weights and {wShape[1]} input channels";
                return result;
            }
            int[] xShape = Ints(ref fb, x, TensorShape);
            if (fb.Field(w, TensorSparsity) >= 0 || xShape.Length == 0 || xShape[^1] != wShape[1] || (long)wShape[0] * wShape[1] * 4 != bytes)
            {
                refusal = $"operator {o} is a float FULLY_CONNECTED with {wShape[1]} input channels that cannot be padded (sparse weights or a reshaping input)";
                return result;
            }
            result.Add(new Layer(o, inputs, inputs[0], xShape, fb.StringField(x, TensorName), wShape[0], wShape[1], data));
        }
        return result;
    }

    /// <summary>The [n, k] float weights as [n, kp], each row followed by kp - k zeros.</summary>
    private static byte[] PaddedWeights(ReadOnlySpan<byte> weights, int n, int k, int kp)
    {
        var result = new byte[(long)n * kp * 4];
        for (int r = 0; r < n; r++) weights.Slice(r * k * 4, k * 4).CopyTo(result.AsSpan(r * kp * 4));
        return result;
    }

    private static FlatBufferFront.Table Tensor(int[] shape, byte type, int buffer, string name)
    {
        var t = new FlatBufferFront.Table().Set(TensorShape, FlatBufferFront.Blob.Ints(shape)).Set(TensorName, FlatBufferFront.Blob.String(name));
        if (type != 0) t.SetByte(TensorTypeField, type);
        if (buffer != 0) t.SetUInt32(TensorBuffer, (uint)buffer);
        return t;
    }

    /// <summary>A Buffer table over <paramref name="data"/> (a ubyte vector, 16-byte aligned as the schema asks).</summary>
    private static FlatBufferFront.Table Buffer(byte[] data) => new FlatBufferFront.Table().Set(BufferData, new FlatBufferFront.Blob(data, data.Length, 16));

    /// <summary>A new table with every field of the old one (offsets still pointing at the old objects), per <paramref name="kinds"/>.</summary>
    private static FlatBufferFront.Table Copy(ref FlatBufferReader fb, int table, string kinds, string what)
    {
        var copy = new FlatBufferFront.Table();
        for (int id = 0, slots = fb.FieldSlots(table); id < slots; id++)
        {
            int p = fb.Field(table, id);
            if (p < 0) continue;
            if (id >= kinds.Length) throw new InvalidModelException($"its {what} table has field {id}, newer than this build knows");
            if (kinds[id] == 'R') copy.Set(id, new FlatBufferFront.Old(p + (int)fb.ReadUInt32(p)));
            else copy.Set(id, fb.Bytes(p, kinds[id] - '0').ToArray());
        }
        return copy;
    }

    private static FlatBufferFront.Old Old(ref FlatBufferReader fb, int vectorStart, int index) => new(fb.TableAt(vectorStart, index));

    private static int[] Ints(ref FlatBufferReader fb, int table, int field)
    {
        var (start, count) = fb.VectorField(table, field, 4);
        var result = new int[count];
        for (int i = 0; i < count; i++) result[i] = fb.ReadInt32(start + 4 * i);
        return result;
    }
}
