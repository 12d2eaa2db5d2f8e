using Yamnet.Batch;

namespace Yamnet.Cli.Output;

/// <summary>
/// Writes each input's results into its own file of a <see cref="ResultDirectory"/> (--output-dir),
/// in the run's format, as soon as that input is done (so a killed run keeps every finished input).
/// JSON carries the run fingerprint in its first member; text, csv and jsonl in the sidecar.
/// </summary>
public sealed class ResultFileSink(ResultDirectory directory, RunInfo run, string format)
{
    /// <summary>File-name suffix and whether the format embeds the fingerprint, per format.</summary>
    public static (string Suffix, bool Sidecar) Layout(string format) => format switch
    {
        "json" => (".json", false),
        "jsonl" => (".jsonl", true),
        "csv" => (".csv", true),
        _ => (".txt", true),
    };

    public ResultDirectory Directory => directory;

    /// <summary>Writes <paramref name="file"/>'s result; false when a file that is not ours is in the way.</summary>
    public bool Write(FileResult file)
    {
        var single = run with { MultipleFiles = false, Fingerprint = directory.Fingerprint };
        return directory.Write(file.Path, stream =>
        {
            using var text = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            IResultFormatter formatter = format switch
            {
                "json" => new JsonFormatter(stream),
                "jsonl" => new JsonLinesFormatter(stream),
                "csv" => new CsvFormatter(text),
                _ => new TextFormatter(text),
            };
            formatter.Begin(single);
            formatter.WriteFile(file);
            formatter.End();
            text.Flush();
        });
    }
}
