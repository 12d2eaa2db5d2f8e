using Yamnet.Classification;

namespace Yamnet.Cli.Output;

/// <summary>
/// The seed's human-readable format. A single first-window result prints exactly
/// <c>Inference result:</c> and one <c>  Category: ...</c> line per class; several windows print
/// one block per window headed <c>Window k [start - end]:</c>; a summary prints one block; with
/// several files each gets a <c>== path ==</c> header.
/// </summary>
public sealed class TextFormatter(TextWriter output) : IResultFormatter
{
    private RunInfo _run = null!;
    private bool _first = true;

    public void Begin(RunInfo run) => _run = run;

    public void WriteFile(FileResult file)
    {
        if (file.Failed && file.Windows.Count == 0 && file.Summary is null) return; // a partial result keeps its windows
        if (_run.MultipleFiles)
        {
            if (!_first) output.WriteLine();
            output.WriteLine($"== {file.Path} ==");
        }
        _first = false;
        if (file.Summary is { } s)
        {
            output.WriteLine($"Summary ({s.Method} over {s.WindowCount} window{(s.WindowCount == 1 ? "" : "s")}) [{ScoreText.Seconds(s.StartSeconds)}s - {ScoreText.Seconds(s.EndSeconds)}s]:");
            WriteClasses(s.Classes);
        }
        else if (_run.Mode == "first")
        {
            foreach (var w in file.Windows)
            {
                output.WriteLine("Inference result:");
                WriteClasses(w.Classes);
            }
        }
        else
        {
            foreach (var w in file.Windows)
            {
                output.WriteLine($"Window {w.Window.Index} [{ScoreText.Seconds(w.Window.StartSeconds)}s - {ScoreText.Seconds(w.Window.EndSeconds)}s]:");
                WriteClasses(w.Classes);
            }
        }
        output.Flush();
    }

    private void WriteClasses(ScoredClass[] classes)
    {
        var labels = _run.Labels;
        foreach (var c in classes)
        {
            string line = $"  Category: {labels.NameOf(c.Index)}, index: {c.Index}, score: {ScoreText.Format(c.Score)}";
            if (labels.MidOf(c.Index) is { } mid) line += ", mid: " + mid;
            output.WriteLine(line);
        }
    }

    public void End() => output.Flush();
}
