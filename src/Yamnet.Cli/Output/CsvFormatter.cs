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
    }

    public void WriteFile(FileResult file)
    {
        if (file.Failed) return;
        var sb = new StringBuilder();
        string path = Csv.Escape(file.Path);
        if (file.Summary is { } s)
        {
            Rows(sb, path, s.Method, s.StartSeconds, s.EndSeconds, s.Classes);
        }
        else
        {
            foreach (var w in file.Windows)
                Rows(sb, path, w.Window.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), w.Window.StartSeconds, w.Window.EndSeconds, w.Classes);
        }
        output.Write(sb.ToString());
        output.Flush();
    }

    private void Rows(StringBuilder sb, string path, string window, double start, double end, ScoredClass[] classes)
    {
        var labels = _run.Labels;
        for (int rank = 0; rank < classes.Length; rank++)
        {
            var c = classes[rank];
            sb.Append(path).Append(',').Append(window).Append(',')
              .Append(ScoreText.Seconds(start)).Append(',').Append(ScoreText.Seconds(end)).Append(',')
              .Append(rank).Append(',').Append(c.Index).Append(',')
              .Append(Csv.Escape(labels.NameOf(c.Index))).Append(',').Append(ScoreText.Format(c.Score));
            if (labels.HasMids) sb.Append(',').Append(Csv.Escape(labels.MidOf(c.Index) ?? ""));
            sb.Append('\n');
        }
    }

    public void End() => output.Flush();
}
