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
        BeginFile(file);
        if (file.Summary is { } s)
        {
            output.WriteLine($"Summary ({s.Method} over {s.WindowCount} window{(s.WindowCount == 1 ? "" : "s")}) [{ScoreText.Seconds(s.StartSeconds)}s - {ScoreText.Seconds(s.EndSeconds)}s]:");
            WriteClasses(s.Classes);
        }
        else
        {
            foreach (var w in file.Windows) WriteWindow(w);
        }
        EndFile(file);
    }

    public void BeginFile(FileResult file)
    {
        if (_run.MultipleFiles)
        {
            if (!_first) output.WriteLine();
            output.WriteLine($"== {file.Path} ==");
        }
        _first = false;
    }

    public void WriteWindow(WindowResult window)
    {
        if (_run.Mode == "first")
        {
            output.WriteLine("Inference result:");
        }
        else
        {
            output.Write("Window ");
            ScoreText.WriteInteger(output, window.Window.Index);
            output.Write(" [");
            ScoreText.WriteSeconds(output, window.Window.StartSeconds);
            output.Write("s - ");
            ScoreText.WriteSeconds(output, window.Window.EndSeconds);
            output.WriteLine("s]:");
        }
        WriteClasses(window.Classes);
    }

    public void EndFile(FileResult file) => output.Flush();

    private void WriteClasses(ScoredClass[] classes)
    {
        // Piece by piece rather than one interpolated line: a long recording prints thousands of these.
        var labels = _run.Labels;
        foreach (var c in classes)
        {
            output.Write("  Category: ");
            output.Write(labels.NameOf(c.Index));
            output.Write(", index: ");
            ScoreText.WriteInteger(output, c.Index);
            output.Write(", score: ");
            ScoreText.WriteScore(output, c.Score);
            if (labels.MidOf(c.Index) is { } mid)
            {
                output.Write(", mid: ");
                output.Write(mid);
            }
            output.WriteLine();
        }
    }

    public void Flush() => output.Flush();

    public void End() => output.Flush();
}
