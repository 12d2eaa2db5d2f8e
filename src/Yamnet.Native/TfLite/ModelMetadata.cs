namespace Yamnet.TfLite;

/// <summary>
/// What the TFLite Support metadata (the "TFLITE_METADATA" buffer, metadata_schema.fbs) says
/// about the model: the audio format of its input and the file holding its output labels.
/// </summary>
public sealed record ModelMetadata(string? Name, int? SampleRate, int? Channels, string? LabelFileName)
{
    private const string MetadataBufferName = "TFLITE_METADATA";

    // metadata_schema.fbs field ids
    private const int MetaName = 0, MetaSubgraphs = 3;
    private const int SubgraphInputTensors = 2, SubgraphOutputTensors = 3;
    private const int TensorContent = 3, TensorAssociatedFiles = 6;
    private const int ContentPropertiesType = 0, ContentProperties = 1;
    private const byte AudioPropertiesTag = 4;
    private const int FileName = 0, FileType = 2;
    private const byte TensorAxisLabels = 2;

    /// <summary>Reads the metadata of a model already checked by <see cref="ModelValidator"/>; null when absent or unreadable.</summary>
    internal static ModelMetadata? Read(ReadOnlySpan<byte> model)
    {
        try
        {
            var fb = new FlatBufferReader(model);
            int root = fb.RootTable();
            var (entries, count) = fb.VectorField(root, 6, 4);
            var (buffers, _) = fb.VectorField(root, 4, 4);
            for (int i = 0; i < count; i++)
            {
                int entry = fb.TableAt(entries, i);
                if (fb.StringField(entry, 0) != MetadataBufferName) continue;
                int buffer = fb.TableAt(buffers, (int)fb.UInt32Field(entry, 1));
                var (start, length) = fb.VectorField(buffer, 0, 1);
                return start < 0 ? null : Parse(model.Slice(start, length));
            }
            return null;
        }
        catch (InvalidModelException)
        {
            // Metadata is advisory: a damaged metadata block must not make a runnable model unusable.
            return null;
        }
    }

    private static ModelMetadata Parse(ReadOnlySpan<byte> bytes)
    {
        var fb = new FlatBufferReader(bytes);
        int root = fb.RootTable();
        string? name = fb.StringField(root, MetaName);
        int? rate = null, channels = null;
        string? labels = null;
        var (subgraphs, subgraphCount) = fb.VectorField(root, MetaSubgraphs, 4);
        if (subgraphCount > 0)
        {
            int sg = fb.TableAt(subgraphs, 0);
            var (inputs, inputCount) = fb.VectorField(sg, SubgraphInputTensors, 4);
            if (inputCount > 0)
            {
                int content = fb.TableField(fb.TableAt(inputs, 0), TensorContent);
                if (content >= 0 && fb.ByteField(content, ContentPropertiesType) == AudioPropertiesTag)
                {
                    int audio = fb.TableField(content, ContentProperties);
                    if (audio >= 0)
                    {
                        uint r = fb.UInt32Field(audio, 0), c = fb.UInt32Field(audio, 1);
                        rate = r is > 0 and <= 1_000_000 ? (int)r : null;
                        channels = c is > 0 and <= 64 ? (int)c : null;
                    }
                }
            }
            var (outputs, outputCount) = fb.VectorField(sg, SubgraphOutputTensors, 4);
            for (int o = 0; o < outputCount && labels is null; o++)
            {
                var (files, fileCount) = fb.VectorField(fb.TableAt(outputs, o), TensorAssociatedFiles, 4);
                for (int f = 0; f < fileCount && labels is null; f++)
                {
                    int file = fb.TableAt(files, f);
                    if (fb.ByteField(file, FileType) == TensorAxisLabels) labels = fb.StringField(file, FileName);
                }
            }
        }
        return new ModelMetadata(name, rate, channels, labels);
    }
}
