using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Cli.Output;

namespace Yamnet.Cli.Commands;

/// <summary>The per-input half of <see cref="EmbedRun"/>: one input's windows into a writer, and the stop between inputs.</summary>
internal sealed partial class EmbedRun
{
    /// <summary>Embeds inputs in order until the end or a stop; returns how many failed.</summary>
    private int EmbedAll(List<InputFile> files, IEmbeddingWriter writer)
    {
        int failed = 0;
        foreach (var f in files)
        {
            if (interruption.Requested) break;
            if (!Embed(f, writer) && !interruption.Requested) failed++;
        }
        return failed;
    }

    /// <summary>Embeds one input into <paramref name="writer"/>; reports a failure on stderr and returns false.</summary>
    private bool Embed(InputFile input, IEmbeddingWriter writer)
    {
        string? error = input.Error ?? (File.Exists(input.Path) ? null : Directory.Exists(input.Path) ? "is a directory" : "file not found");
        if (error is null)
        {
            try
            {
                using var reader = AudioReader.Open(input.Path, classifier.SampleRate, classifier.Options.LoggerFactory);
                var sum = mean ? new double[_dimension] : null;
                int delivered = 0;
                double reached = 0;
                FileAnalysisStats stats;
                try
                {
                    stats = new WindowPipeline(classifier, jobs).Analyze(reader, hop, (in AudioWindow w, in WindowOutputs o) =>
                    {
                        var e = o.Embedding;
                        if (sum is null) writer.Write(input.Path, w.Index, w.StartSeconds, w.EndSeconds, e);
                        else for (int i = 0; i < e.Length; i++) sum[i] += e[i];
                        delivered++;
                        reached = w.EndSeconds;
                    }, interruption.Token);
                }
                catch (OperationCanceledException) when (interruption.Requested)
                {
                    _cut = $"{input.Path} cut at {reached:0.###} s{Interruption.Kept(sum is null ? delivered : 0, "window")}";
                    return false;
                }
                if (stats.Windows == 0) error = "contains no audio samples";
                else if (sum is not null)
                {
                    var vector = sum.Select(x => (float)(x / stats.Windows)).ToArray();
                    writer.Write(input.Path, -1, 0, stats.SamplesRead / (double)classifier.SampleRate, vector);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or YamnetException)
            {
                error = CliHost.OneLine(e.Message);
            }
        }
        if (error is not null) StdErr.WriteLine($"yamnet: {input.Path}: {error}");
        else _finished++;
        return error is null;
    }
}
