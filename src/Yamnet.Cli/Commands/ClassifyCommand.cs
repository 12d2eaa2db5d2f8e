using System.CommandLine;
using Yamnet.Analysis;
using Yamnet.Classification;
using Yamnet.Cli.Output;

namespace Yamnet.Cli.Commands;

/// <summary>
/// <c>yamnet classify</c>: the Raspberry Pi example's options (--wavFile, --model, --maxResults,
/// --scoreThreshold, --overlappingFactor, --numThreads, --enableEdgeTPU) plus window modes, label
/// filters, output formats and batches of files. The work is the library's ordered batch
/// (<see cref="AudioAnalysis.ClassifyBatchAsync"/>); this file parses options and formats results.
/// </summary>
public static class ClassifyCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var wavFile = new Option<string[]>("--wavFile") { Description = "An audio file to classify (repeatable). Formats: WAV, FLAC, OGG/Vorbis, Opus, MP3, AIFF, AU; any rate and channel count (downmixed and resampled to the model's rate)." };
        var inputs = new Argument<string[]>("inputs") { Description = "More inputs: files, directories (searched recursively for audio files) or globs (*.wav, dir/**/*.flac).", Arity = ArgumentArity.ZeroOrMore };
        var results = new ResultOptions("Output format: text, json or csv.");
        var windows = new Option<string>("--windows") { Description = "first: classify the first window only (the seed's behaviour); all: every window.", DefaultValueFactory = _ => "first" };
        var summary = new Option<string?>("--summary") { Description = "mean|max: one whole-file ranking from each class's mean or max score over all windows." };
        var jobs = new Option<int>("--jobs") { Description = "Files classified in parallel (default: processor count).", DefaultValueFactory = _ => Environment.ProcessorCount };

        var command = new Command("classify", "Classify the sounds in audio files.");
        command.Options.Add(wavFile);
        command.Arguments.Add(inputs);
        results.AddTo(command);
        command.Options.Add(windows);
        command.Options.Add(summary);
        command.Options.Add(jobs);
        common.AddTo(command);

        command.SetAction(parse =>
        {
            // Validate everything that needs no model first, so bad values fail fast with exit 2.
            common.RejectUnsupported(parse);
            var result = results.Validate(parse);
            int jobCount = parse.GetValue(jobs);
            if (jobCount < 1) throw new UsageException("Number of jobs must be at least 1.");
            string windowMode = parse.GetValue(windows)?.ToLowerInvariant() switch
            {
                "first" => "first",
                "all" => "all",
                var w => throw new UsageException($"Unknown window mode '{w}': use first or all."),
            };
            ScoreAggregation? aggregation = parse.GetValue(summary)?.ToLowerInvariant() switch
            {
                null => null,
                "mean" => ScoreAggregation.Mean,
                "max" => ScoreAggregation.Max,
                var s => throw new UsageException($"Unknown summary '{s}': use mean or max."),
            };
            var args = (parse.GetValue(wavFile) ?? []).Concat(parse.GetValue(inputs) ?? []).ToList();
            if (args.Count == 0) throw new UsageException("No input: give --wavFile <file> (repeatable) or files, directories or globs as arguments.");
            foreach (string arg in args)
            {
                if (arg.Length > 1 && arg[0] == '-' && !File.Exists(arg) && !Directory.Exists(arg))
                    throw new UsageException($"Unknown option '{arg}' (see 'yamnet classify --help').");
            }
            var files = InputExpander.Expand(args);

            using var classifier = common.LoadClassifier(parse);
            var filter = result.CreateFilter(classifier.Labels);
            int hop = FileAnalyzer.HopFor(classifier.WindowLength, result.Overlap);
            string mode = aggregation is { } a ? (a == ScoreAggregation.Mean ? "mean" : "max") : windowMode;
            var options = new ClassificationOptions
            {
                MaxResults = result.MaxResults,
                ScoreThreshold = result.Threshold,
                Filter = filter,
                Hop = hop,
                MaxWindows = mode == "first" ? 1 : int.MaxValue,
            };

            var run = new RunInfo(classifier.Model.Source, classifier.Model.Sha256, Yamnet.TfLite.KnownModels.NameOf(classifier.Model.Sha256),
                classifier.Labels, classifier.SampleRate, classifier.SampleRateSource, classifier.WindowLength, classifier.ClassCount,
                CommonOptions.DelegateName(classifier.Options.Interpreter.Delegate), hop, mode, files.Count > 1);

            using var stdout = Console.OpenStandardOutput();
            using var text = new StreamWriter(stdout, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            IResultFormatter formatter = result.Format switch
            {
                "json" => new JsonFormatter(stdout),
                "csv" => new CsvFormatter(text),
                _ => new TextFormatter(text),
            };
            // The library spreads several files over the jobs, or one file's windows (unless only the first is asked for).
            // XNNPACK's thread pool spin-waits: more busy threads than cores collapses throughput
            // (measured: 2 workers x 2 threads on 2 cores ran 80x slower than 2 x 1, docs/PERFORMANCE.md).
            int busy = files.Count == 1 && mode != "first" ? jobCount : Math.Min(jobCount, Math.Max(1, files.Count));
            int threads = classifier.Options.Interpreter.Threads;
            if (busy * threads > Environment.ProcessorCount && threads > 1)
                Console.Error.WriteLine($"yamnet: warning: {busy} jobs x {threads} threads exceeds the {Environment.ProcessorCount} cores; expect a large slowdown (use --numThreads 1 or fewer --jobs)");
            return RunBatch(classifier, files, options, new BatchOptions { Jobs = jobCount, Summary = aggregation }, formatter, run);
        });
        return command;
    }

    /// <summary>
    /// Runs the library's ordered batch over the inputs that name a file and writes every input's
    /// result in command-line order, the expander's own errors (no match, unreadable) in their place.
    /// </summary>
    private static int RunBatch(AudioClassifier classifier, List<InputFile> files, ClassificationOptions options, BatchOptions batch, IResultFormatter formatter, RunInfo run)
    {
        var usable = files.Where(f => f.Error is null).Select(f => AudioInput.FromFile(f.Path)).ToList();
        int completed = 0;
        var progress = files.Count > 1 && !Console.IsErrorRedirected ? new ProgressBar(files.Count) : null;
        int preFailed = files.Count - usable.Count;
        batch = batch with { Progress = new Counter(n => Volatile.Write(ref completed, n + preFailed)) };
        var results = classifier.ClassifyBatchAsync(usable, options, batch).GetAsyncEnumerator();
        int failed = 0;
        formatter.Begin(run);
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
                    Console.Error.WriteLine($"yamnet: {r.Path}: {r.Error}");
                }
                formatter.WriteFile(r);
                progress?.Draw(Volatile.Read(ref completed));
            }
        }
        finally
        {
            results.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        formatter.End();
        progress?.Clear();
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
