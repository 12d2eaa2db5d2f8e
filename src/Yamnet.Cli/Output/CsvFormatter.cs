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
        string path = Csv.Escape(file.Path);
        if (file.Summary is { } s)
        {
            Rows(path, s.Method, s.StartSeconds, s.EndSeconds, s.Classes);
        }
        else
        {
            foreach (var w in file.Windows)
                Rows(path, w.Window.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), w.Window.StartSeconds, w.Window.EndSeconds, w.Classes);
        }
        output.Flush();
    }

    private void Rows(string path, string window, double start, double end, ScoredClass[] classes)
    {
        var labels = _run.Labels;
        for (int rank = 0; rank < classes.Length; rank++)
        {
            var c = classes[rank];
            output.Write(path);
            output.Write(',');
            output.Write(window);
            output.Write(',');
            output.Write(ScoreText.Seconds(start));
            output.Write(',');
            output.Write(ScoreText.Seconds(end));
            output.Write(',');
            output.Write(rank);
            output.Write(',');
            output.Write(c.Index);
            output.Write(',');
            output.Write(Csv.Escape(labels.NameOf(c.Index)));
            output.Write(',');
            output.Write(ScoreText.Format(c.Score));
            if (labels.HasMids)
            {
                output.Write(',');
                output.Write(Csv.Escape(labels.MidOf(c.Index) ?? ""));
            }
            output.Write('\n');
        }
    }

    public void End() => output.Flush();
}
