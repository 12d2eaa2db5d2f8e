using Yamnet.Analysis;
using Yamnet.Classification;
using Yamnet.Cli.Output;

namespace Yamnet.Cli.Commands;

/// <summary>The output side of <c>yamnet classify</c>: the library's ordered batch, printed as it arrives.</summary>
public static class ClassifyRunner
{
    /// <summary>
    /// Runs the library's ordered batch over the inputs that name a file and writes every input's
    /// result in command-line order, the expander's own errors (no match, unreadable) in their place.
    /// </summary>
    public static int Run(AudioClassifier classifier, List<InputFile> files, ClassificationOptions options, BatchClassificationOptions batch,
        IResultFormatter? formatter, RunInfo run, ResultFileSink? sink, out int failedCount)
    {
        var usable = files.Where(f => f.Error is null).Select(f => AudioInput.FromFile(f.Path)).ToList();
        int completed = 0;
        var progress = files.Count > 1 && !Console.IsErrorRedirected ? new ProgressBar(files.Count) : null;
        int preFailed = files.Count - usable.Count;
        batch = batch with
        {
            Progress = new Counter(n => Volatile.Write(ref completed, n + preFailed)),
            // --output-dir: each result goes to its file as soon as it is done, not in input order, so a
            // killed run keeps every input that finished; a refusal becomes that input's error.
            OnCompleted = sink is null ? null : c =>
            {
                if (!c.Failed && !sink.Write(ToFileResult(c)))
                    throw new IOException($"{sink.Directory.ResultPathFor(c.Name)} exists and is not this run's result; not replaced (--overwrite replaces it)");
            },
        };
        var results = classifier.ClassifyBatchAsync(usable, options, batch).GetAsyncEnumerator();
        int failed = 0;
        formatter?.Begin(run);
        try
        {
            foreach (var input in files)
            {
                FileResult r;
                if (input.Error is not null)
                {
                    r = new FileResult { Path = input.Path, Error = input.Error };
                }
                else
                {
                    var next = results.MoveNextAsync().AsTask();
                    while (progress is not null && !next.Wait(100)) progress.Draw(Volatile.Read(ref completed));
                    next.GetAwaiter().GetResult();
                    r = ToFileResult(results.Current);
                }
                progress?.Clear();
                if (r.Failed)
                {
                    failed++;
                    StdErr.WriteLine($"yamnet: {r.Path}: {r.Error}");
                }
                formatter?.WriteFile(r);
                progress?.Draw(Volatile.Read(ref completed));
            }
        }
        finally
        {
            results.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        formatter?.End();
        progress?.Clear();
        failedCount = failed;
        return failed > 0 ? ExitCodes.InputFailed : ExitCodes.Ok;
    }

    private static FileResult ToFileResult(FileClassification c)
    {
        var r = new FileResult { Path = c.Name, Format = c.Format, Error = c.ErrorMessage };
        if (c.Summary is { } s)
            r.Summary = new SummaryResult(s.Method == ScoreAggregation.Mean ? "mean" : "max", s.WindowCount, s.StartSeconds, s.EndSeconds, [.. s.Classes]);
        foreach (var w in c.Windows) r.Windows.Add(new WindowResult(w.Window, w.Classes.ToArray()));
        return r;
    }

    private sealed class Counter(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
