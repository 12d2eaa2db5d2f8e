using Yamnet.TfLite;

namespace Yamnet.Embeddings;

/// <summary>
/// Finds the embedding and the log-mel patch in a classifier's graph by structure, never by tensor
/// index or name: scores come from LOGISTIC (possibly through a DEQUANTIZE) over a FULLY_CONNECTED,
/// whose data input is the embedding; the log-mel patch is the output of the last LOG operator the
/// embedding depends on. Reads a model that <see cref="ModelValidator"/> has already accepted.
/// </summary>
internal sealed class ClassifierGraph
{
    // schema.fbs field ids and BuiltinOperator codes (the schema's own numbering).
    private const int ModelOperatorCodes = 1, ModelSubgraphs = 2, ModelBuffers = 4;
    private const int SubgraphTensors = 0, SubgraphOutputs = 2, SubgraphOperators = 3;
    private const int TensorTypeField = 1, TensorBuffer = 2;
    private const int OperatorOpcodeIndex = 0, OperatorInputs = 1, OperatorOutputs = 2;
    private const int OpcodeDeprecatedBuiltin = 0, OpcodeBuiltin = 3;
    internal const int OpDequantize = 6, OpFullyConnected = 9, OpLogistic = 14, OpLog = 73;

    private ClassifierGraph() { }

    /// <summary>The scores tensor (the main subgraph's output 0).</summary>
    internal int ScoresTensor { get; private init; }

    /// <summary>The final FULLY_CONNECTED operator, or -1 when the graph does not end in FULLY_CONNECTED → LOGISTIC.</summary>
    internal int HeadOperator { get; private init; } = -1;

    /// <summary>The embedding tensor (the head's data input), or -1.</summary>
    internal int EmbeddingTensor { get; private init; } = -1;

    /// <summary>The log-mel patch (output of the last LOG operator feeding the embedding), or -1.</summary>
    internal int LogMelTensor { get; private init; } = -1;

    /// <summary>The head's weights, bias and output tensors, and the LOGISTIC's output (the quantized scores).</summary>
    internal (int Weights, int Bias, int Logits, int Sigmoid) Head { get; private init; } = (-1, -1, -1, -1);

    internal static ClassifierGraph Read(ReadOnlySpan<byte> bytes)
    {
        var fb = new FlatBufferReader(bytes);
        int model = fb.RootTable();
        var (opcodes, opcodeCount) = fb.VectorField(model, ModelOperatorCodes, 4);
        var codes = new int[opcodeCount];
        for (int i = 0; i < opcodeCount; i++)
        {
            int oc = fb.TableAt(opcodes, i);
            codes[i] = Math.Max(fb.ByteField(oc, OpcodeDeprecatedBuiltin), fb.Int32Field(oc, OpcodeBuiltin));
        }
        var (buffers, _) = fb.VectorField(model, ModelBuffers, 4);
        int sg = fb.TableAt(fb.VectorField(model, ModelSubgraphs, 4).Start, 0);
        var (tensors, tensorCount) = fb.VectorField(sg, SubgraphTensors, 4);
        var (outputs, _) = fb.VectorField(sg, SubgraphOutputs, 4);
        var (ops, opCount) = fb.VectorField(sg, SubgraphOperators, 4);

        // Who produces each tensor, and each operator's code and tensors.
        var producer = new int[tensorCount];
        Array.Fill(producer, -1);
        var opCode = new int[opCount];
        var opInputs = new int[opCount][];
        for (int o = 0; o < opCount; o++)
        {
            int op = fb.TableAt(ops, o);
            opCode[o] = codes[fb.UInt32Field(op, OperatorOpcodeIndex)];
            opInputs[o] = Ints(ref fb, op, OperatorInputs);
            foreach (int t in Ints(ref fb, op, OperatorOutputs)) producer[t] = o;
        }

        int scores = fb.ReadInt32(outputs);
        int p = producer[scores];
        if (p >= 0 && opCode[p] == OpDequantize && opInputs[p].Length > 0 && opInputs[p][0] >= 0) p = producer[opInputs[p][0]];
        if (p < 0 || opCode[p] != OpLogistic || opInputs[p].Length < 1 || opInputs[p][0] < 0) return new ClassifierGraph { ScoresTensor = scores };
        int logistic = p;
        int logits = opInputs[logistic][0];
        int head = producer[logits];
        if (head < 0 || opCode[head] != OpFullyConnected || opInputs[head].Length < 2) return new ClassifierGraph { ScoresTensor = scores };
        int embedding = opInputs[head][0];
        if (embedding < 0 || producer[embedding] < 0 || IsConstant(ref fb, tensors, buffers, embedding)) return new ClassifierGraph { ScoresTensor = scores };
        int sigmoid = -1;
        int lop = fb.TableAt(ops, logistic);
        var lout = Ints(ref fb, lop, OperatorOutputs);
        if (lout.Length > 0) sigmoid = lout[0];

        // The last LOG among the embedding's ancestors, with a float output.
        int logMel = -1, logOp = -1;
        var seen = new bool[opCount];
        var stack = new Stack<int>();
        stack.Push(producer[embedding]);
        while (stack.Count > 0)
        {
            int o = stack.Pop();
            if (o < 0 || seen[o]) continue;
            seen[o] = true;
            if (opCode[o] == OpLog && o > logOp)
            {
                var outs = Ints(ref fb, fb.TableAt(ops, o), OperatorOutputs);
                if (outs.Length == 1 && TypeOf(ref fb, tensors, outs[0]) == SchemaFloat32)
                {
                    logOp = o;
                    logMel = outs[0];
                }
            }
            foreach (int t in opInputs[o])
                if (t >= 0) stack.Push(producer[t]);
        }

        return new ClassifierGraph
        {
            ScoresTensor = scores,
            HeadOperator = head,
            EmbeddingTensor = embedding,
            LogMelTensor = logMel,
            Head = (opInputs[head][1], opInputs[head].Length > 2 ? opInputs[head][2] : -1, logits, sigmoid),
        };
    }

    private const int SchemaFloat32 = 0;

    private static int TypeOf(ref FlatBufferReader fb, int tensors, int t) => fb.ByteField(fb.TableAt(tensors, t), TensorTypeField);

    private static bool IsConstant(ref FlatBufferReader fb, int tensors, int buffers, int t)
    {
        uint buffer = fb.UInt32Field(fb.TableAt(tensors, t), TensorBuffer);
        return buffer != 0 && fb.VectorField(fb.TableAt(buffers, (int)buffer), 0, 1).Count > 0;
    }

    private static int[] Ints(ref FlatBufferReader fb, int table, int field)
    {
        var (start, count) = fb.VectorField(table, field, 4);
        var result = new int[count];
        for (int i = 0; i < count; i++) result[i] = fb.ReadInt32(start + 4 * i);
        return result;
    }
}
