using System.Text;
using Yamnet.Classification;

namespace Yamnet.Cli.Output;

/// <summary>
/// <c>file,window,start_seconds,end_seconds,rank,index,label,score</c> (+ <c>mid</c> with a class map);
/// one row per ranked class; RFC 4180 quoting; seconds with 3 decimals; scores round-trip ("R").
/// A summary row's window column holds the method (<c>mean</c> or <c>max</c>).
/// </summary>
public sealed class CsvFormatter(TextWriter output) : IResultFormatter
{
    private RunInfo _run = null!;

    public void Begin(RunInfo run)
    {
        _run = run;
        output.WriteLine("file,window,start_seconds,end_seconds,rank,index,label,score" + (run.Labels.HasMids ? ",mid" : ""));
        output.Flush(); // the header and then each file's rows reach a pipe as soon as they are known
    }

    public void WriteFile(FileResult file)
    {
        if (file.Failed && file.Windows.Count == 0 && file.Summary is null) return; // a partial result keeps its windows
        // Rows go straight to the (buffered) writer: a long recording's output streams out
        // instead of being assembled in memory first.
        BeginFile(file);
        if (file.Summary is { } s)
        {
            Rows(s.Method, s.StartSeconds, s.EndSeconds, s.Classes);
        }
        else
        {
            foreach (var w in file.Windows) WriteWindow(w);
        }
        EndFile(file);
    }

    private string _path = "";

    public void BeginFile(FileResult file) => _path = Csv.Escape(file.Path);

    public void WriteWindow(WindowResult window) => Rows(null, window.Window.StartSeconds, window.Window.EndSeconds, window.Classes, window.Window.Index);

    public void EndFile(FileResult file) => output.Flush();

    /// <summary>One row per ranked class; the window column holds <paramref name="method"/> for a summary, else the window's index.</summary>
    private void Rows(string? method, double start, double end, ScoredClass[] classes, long window = 0)
    {
        var labels = _run.Labels;
        for (int rank = 0; rank < classes.Length; rank++)
        {
            var c = classes[rank];
            output.Write(_path);
            output.Write(',');
            if (method is not null) output.Write(method);
            else ScoreText.WriteInteger(output, window);
            output.Write(',');
            ScoreText.WriteSeconds(output, start);
            output.Write(',');
            ScoreText.WriteSeconds(output, end);
            output.Write(',');
            ScoreText.WriteInteger(output, rank);
            output.Write(',');
            ScoreText.WriteInteger(output, c.Index);
            output.Write(',');
            output.Write(Csv.Escape(labels.NameOf(c.Index)));
            output.Write(',');
            ScoreText.WriteScore(output, c.Score);
            if (labels.HasMids)
            {
                output.Write(',');
                output.Write(Csv.Escape(labels.MidOf(c.Index) ?? ""));
            }
            output.Write('\n');
        }
    }

    public void Flush() => output.Flush();

    public void End() => output.Flush();
}
