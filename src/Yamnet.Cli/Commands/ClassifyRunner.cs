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
        IResultFormatter? formatter, RunInfo run, ResultFileSink? sink, Interruption interruption, out int failedCount)
    {
        var usable = files.Where(f => f.Error is null).Select(f => f.Path == "-" ? AudioInput.FromStream(Console.OpenStandardInput(), "-") : AudioInput.FromFile(f.Path)).ToList();
        int completed = 0;
        var progress = files.Count > 1 && !Console.IsErrorRedirected ? new ProgressBar(files.Count) : null;
        int preFailed = files.Count - usable.Count;
        batch = batch with
        {
            Interrupt = interruption.Token,
            Progress = new Counter(n => Volatile.Write(ref completed, n + preFailed)),
            // --output-dir: each result goes to its file as soon as it is done, not in input order, so a
            // killed run keeps every input that finished; a refusal becomes that input's error.
            OnCompleted = sink is null ? null : c =>
            {
                if (!c.Failed && !sink.Write(ToFileResult(c)))
                    throw new IOException($"{sink.Directory.ResultPathFor(c.Name)} exists and is not this run's result; not replaced (--overwrite replaces it)");
            },
        };
        // A single input (no progress bar to redraw while waiting): the synchronous batch, which runs it on
        // this thread, with no worker thread to start and hand the result back (issue 16's start-up).
        bool single = progress is null && usable.Count == 1;
        // Its windows are written as they are delivered, on this thread, while the workers classify the
        // next ones, so a long recording's output is out by its last window instead of formatted after it.
        // Not for the first window alone (the seed command): nothing to overlap, and its timer thread
        // would only add to the start-up.
        using var streamed = single && formatter is not null && sink is null && batch.Summary is null && options.MaxWindows == int.MaxValue
            ? new StreamedFileOutput(formatter) : null;
        if (streamed is not null) batch = batch with { OnWindow = streamed.Write };
        var waited = single ? classifier.ClassifyBatch(usable, options, batch).GetEnumerator() : null;
        var results = waited is null ? classifier.ClassifyBatchAsync(usable, options, batch).GetAsyncEnumerator() : null;
        int failed = 0, done = 0, printed = 0;
        // The library reports progress from its workers, possibly after the result was already handed
        // over; every printed result is finished, so the bar never shows fewer than were printed.
        int Finished() => Math.Max(Volatile.Read(ref completed), printed);
        FileResult? cut = null, streamedResult = null;
        double cutAt = 0;
        formatter?.Begin(run);
        try
        {
            foreach (var input in files)
            {
                if (interruption.Requested && input.Error is not null) break;
                FileResult r;
                if (input.Error is not null)
                {
                    r = new FileResult { Path = input.Path, Error = input.Error };
                }
                else
                {
                    if (!Next(waited, results, progress, Finished)) break; // interrupted: nothing later was started
                    var current = waited is not null ? waited.Current : results!.Current;
                    r = ToFileResult(current);
                    if (streamed?.Streamed(current) == true) streamedResult = r;
                    if (current.Interrupted) (cut, cutAt) = (r, current.StoppedAtSeconds ?? 0);
                }
                progress?.Clear();
                if (r == cut)
                {
                    // Said once in the interruption's line.
                }
                else if (r.Failed)
                {
                    failed++;
                    StdErr.WriteLine($"yamnet: {r.Path}: {r.Error}");
                }
                else done++;
                if (r == streamedResult) streamed!.End(r); // its windows are out already
                else formatter?.WriteFile(r);
                printed++;
                if (r == cut) break;
                progress?.Draw(Finished());
            }
        }
        finally
        {
            waited?.Dispose();
            results?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        progress?.Clear();
        failedCount = failed;
        if (!interruption.OutputLost) formatter?.End();
        if (interruption.Requested)
            return interruption.Report(done + failed, files.Count, cut is null ? null : $"{cut.Path} cut at {cutAt:0.###} s{Interruption.Kept(cut.Windows.Count, "window")}");
        return failed > 0 ? ExitCodes.InputFailed : ExitCodes.Ok;
    }

    /// <summary>Moves whichever enumerator the run uses, redrawing the progress bar while it waits.</summary>
    private static bool Next(IEnumerator<FileClassification>? waited, IAsyncEnumerator<FileClassification>? results, ProgressBar? progress, Func<int> finished)
    {
        if (waited is not null) return waited.MoveNext();
        var next = results!.MoveNextAsync().AsTask();
        while (progress is not null && !next.Wait(100)) progress.Draw(finished());
        return next.GetAwaiter().GetResult();
    }

    private static FileResult ToFileResult(FileClassification c)
    {
        string? error = c.ErrorMessage;
        if (c.Interrupted) error = $"interrupted at {c.StoppedAtSeconds:0.###} s";
        else if (error is not null && c.StoppedAtSeconds is { } at)
            error = $"{error} (at {at:0.###} s; the {c.Windows.Count} window{(c.Windows.Count == 1 ? "" : "s")} before it are kept)";
        var r = new FileResult { Path = c.Name, Format = c.Format, Error = error };
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
