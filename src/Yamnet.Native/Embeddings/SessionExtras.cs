using Yamnet.TfLite;

namespace Yamnet.Embeddings;

/// <summary>
/// One session's view of the extra outputs. The embedding is dequantized into a buffer this
/// object owns, once per run and only when read; the log-mel patch is already float, so it is the
/// output tensor itself (no copy).
/// </summary>
internal sealed class SessionExtras
{
    private readonly ExtraOutputLayout _layout;
    private float[]? _embedding;   // allocated on the first read of a quantized embedding
    private readonly QuantizationParameters _quantization;
    private int _dequantizedRun = -1;

    internal SessionExtras(ExtraOutputLayout layout)
    {
        _layout = layout;
        _quantization = layout.EmbeddingTensor?.Quantization ?? default;
    }

    internal ReadOnlySpan<float> Embedding(TfLiteInterpreter interpreter, int run)
    {
        if (_layout.EmbeddingOutput < 0) throw NoEmbedding();
        switch (_layout.EmbeddingTensor!.Type)
        {
            case TensorType.Float32:
                return interpreter.GetOutputSpan<float>(_layout.EmbeddingOutput);
            case TensorType.Int8:
                if (_dequantizedRun != run)
                {
                    Dequantize(interpreter.GetOutputSpan<sbyte>(_layout.EmbeddingOutput), _embedding ??= new float[_layout.EmbeddingLength], _quantization);
                    _dequantizedRun = run;
                }
                return _embedding!;
            case TensorType.UInt8:
                if (_dequantizedRun != run)
                {
                    Dequantize(interpreter.GetOutputSpan<byte>(_layout.EmbeddingOutput), _embedding ??= new float[_layout.EmbeddingLength], _quantization);
                    _dequantizedRun = run;
                }
                return _embedding!;
            default:
                throw new InvalidOperationException($"embeddings of type {_layout.EmbeddingTensor.Type} are not supported");
        }
    }

    internal ReadOnlySpan<float> LogMel(TfLiteInterpreter interpreter)
    {
        if (_layout.LogMelOutput < 0) throw NoLogMel();
        return interpreter.GetOutputSpan<float>(_layout.LogMelOutput);
    }

    internal static InvalidOperationException NoEmbedding() => new("the classifier was not loaded with ExtraOutputs.Embedding");

    internal static InvalidOperationException NoLogMel() => new("the classifier was not loaded with ExtraOutputs.LogMelSpectrogram");

    private static void Dequantize(ReadOnlySpan<sbyte> q, Span<float> result, QuantizationParameters p)
    {
        for (int i = 0; i < q.Length; i++) result[i] = p.Scale * (q[i] - p.ZeroPoint);
    }

    private static void Dequantize(ReadOnlySpan<byte> q, Span<float> result, QuantizationParameters p)
    {
        for (int i = 0; i < q.Length; i++) result[i] = p.Scale * (q[i] - p.ZeroPoint);
    }
}
