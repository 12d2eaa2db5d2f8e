using Yamnet.TfLite;

namespace Yamnet.Embeddings;

/// <summary>
/// Derives, in memory, a model whose main subgraph also outputs the embedding and/or the log-mel
/// patch (after the model's own outputs, so the scores stay output 0), and validates it like any
/// model. The derived model belongs to the caller.
/// </summary>
internal static class ExtraOutputModel
{
    internal static (TfLiteModel Model, int EmbeddingOutput, int LogMelOutput) Derive(TfLiteModel model, ExtraOutputs outputs)
    {
        ReadOnlySpan<byte> bytes = model.Bytes;
        var graph = ClassifierGraph.Read(bytes);
        var extra = new List<int>(2);
        int originalOutputs = OutputCount(bytes);
        int embeddingOutput = -1, logMelOutput = -1;
        if (outputs.HasFlag(ExtraOutputs.Embedding))
        {
            if (graph.EmbeddingTensor < 0)
                throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: this model has no embedding (its scores do not come from a FULLY_CONNECTED layer followed by LOGISTIC)");
            embeddingOutput = originalOutputs + extra.Count;
            extra.Add(graph.EmbeddingTensor);
        }
        if (outputs.HasFlag(ExtraOutputs.LogMelSpectrogram))
        {
            if (graph.LogMelTensor < 0)
                throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, $"{model.Source}: this model has no log-mel spectrogram (no LOG operator with a float output feeds its embedding)");
            logMelOutput = originalOutputs + extra.Count;
            extra.Add(graph.LogMelTensor);
        }
        var derived = SubgraphOutputsPatch.AppendOutputs(bytes, extra.ToArray());
        return (TfLiteModel.FromDerivedBytes(derived, model.Source, model.LoggerFactory), embeddingOutput, logMelOutput);
    }

    private static int OutputCount(ReadOnlySpan<byte> bytes)
    {
        var fb = new FlatBufferReader(bytes);
        int sg = fb.TableAt(fb.VectorField(fb.RootTable(), 2, 4).Start, 0);
        return fb.VectorField(sg, 2, 4).Count;
    }
}
