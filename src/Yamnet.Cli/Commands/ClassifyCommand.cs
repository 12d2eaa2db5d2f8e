using System.CommandLine;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Cli.Output;

namespace Yamnet.Cli.Commands;

/// <summary>
/// <c>yamnet classify</c>: the Raspberry Pi example's options (--wavFile, --model, --maxResults,
/// --scoreThreshold, --overlappingFactor, --numThreads, --enableEdgeTPU) plus window modes, label
/// filters, output formats and batches of files classified in parallel over the session pool.
/// </summary>
public static class ClassifyCommand
{
    private sealed record Settings(
        AudioClassifier Classifier,
        int MaxResults,
        float Threshold,
        ClassFilter? Filter,
        int Hop,
        string Mode,
        ScoreAggregation? Summary)
    {
        /// <summary>Workers for the windows of one file (more than 1 only when a single file is classified window by window).</summary>
        public int WindowWorkers { get; init; } = 1;
    }

    public static Command Create()
    {
        var common = new CommonOptions();
        var wavFile = new Option<string[]>("--wavFile") { Description = "An audio file to classify (repeatable). Formats: WAV, FLAC, OGG/Vorbis, Opus, MP3, AIFF, AU; any rate and channel count (downmixed and resampled to the model's rate)." };
        var inputs = new Argument<string[]>("inputs") { Description = "More inputs: files, directories (searched recursively for audio files) or globs (*.wav, dir/**/*.flac).", Arity = ArgumentArity.ZeroOrMore };
        var results = new ResultOptions("Output format: text, json or csv.");
        var windows = new Option<string>("--windows") { Description = "first: classify the first window only (the seed's behaviour); all: every window.", DefaultValueFactory = _ => "first" };
        var summary = new Option<string?>("--summary") { Description = "mean|max: one whole-file ranking from each class's mean or max score over all windows." };
        var batch = new BatchOptions();
        var jobs = new Option<int>("--jobs") { Description = "Files classified in parallel (default: processor count).", DefaultValueFactory = _ => Environment.ProcessorCount };

        var command = new Command("classify", "Classify the sounds in audio files.");
        command.Options.Add(wavFile);
        command.Arguments.Add(inputs);
        results.AddTo(command);
        command.Options.Add(windows);
        command.Options.Add(summary);
        command.Options.Add(jobs);
        batch.AddTo(command);
        common.AddTo(command);

        command.SetAction(parse =>
        {
            // Validate everything that needs no model first, so bad values fail fast with exit 2.
            common.RejectUnsupported(parse);
            var result = results.Validate(parse);
            int jobCount = parse.GetValue(jobs);
            if (jobCount < 1) throw new UsageException("Number of jobs must be at least 1.");
            jobCount = CommonOptions.BoundJobs(jobCount);
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
            var batchSettings = batch.Resolve(parse);
            var args = (parse.GetValue(wavFile) ?? []).Concat(parse.GetValue(inputs) ?? []).ToList();
            if (args.Count == 0 && batchSettings.ListedInputs.Count == 0)
                throw new UsageException("No input: give --wavFile <file> (repeatable), files, directories or globs as arguments, or --files-from LIST.");
            foreach (string arg in args)
            {
                if (arg.Length > 1 && arg[0] == '-' && !File.Exists(arg) && !Directory.Exists(arg))
                    throw new UsageException($"Unknown option '{arg}' (see 'yamnet classify --help').");
            }
            var files = InputExpander.Expand(args);
            files.AddRange(batchSettings.ListedInputs.Select(p => new InputFile(p)));

            using var classifier = common.LoadClassifier(parse);
            var filter = result.CreateFilter(classifier.Labels);
            int hop = result.HopFor(classifier.WindowLength, classifier.SampleRate);
            string mode = aggregation is { } a ? (a == ScoreAggregation.Mean ? "mean" : "max") : windowMode;
            var settings = new Settings(classifier, result.TopCount(classifier.ClassCount), result.Threshold, filter, hop, mode, aggregation);

            var run0 = new RunInfo(classifier.Model.Source, classifier.Model.Sha256, Yamnet.TfLite.KnownModels.NameOf(classifier.Model.Sha256),
                classifier.Labels, classifier.SampleRate, classifier.SampleRateSource, classifier.WindowLength, classifier.ClassCount,
                CommonOptions.DelegateName(classifier.Options.Interpreter.Delegate), hop, mode, files.Count > 1);

            var (plan, sink) = BatchRun.Plan(files, batchSettings, run0, result, parse.GetValue(common.Labels));
            var run = run0 with { MultipleFiles = plan.ToRun.Count > 1 };
            files = [.. plan.ToRun];

            using var stdout = Console.OpenStandardOutput();
            using var text = new StreamWriter(stdout, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            IResultFormatter formatter = result.Format switch
            {
                "json" => new JsonFormatter(stdout),
                "jsonl" => new JsonLinesFormatter(stdout),
                "csv" => new CsvFormatter(text),
                _ => new TextFormatter(text),
            };
            // Several files: one worker per file. One file with every window: its windows spread over the
            // workers through the bounded WindowPipeline instead, so a long recording uses every core too.
            int fileWorkers = Math.Min(jobCount, Math.Max(1, files.Count));
            int windowWorkers = files.Count == 1 && mode != "first" ? jobCount : 1;
            // XNNPACK's thread pool spin-waits: more busy threads than cores collapses throughput
            // (measured: 2 workers x 2 threads on 2 cores ran 80x slower than 2 x 1, docs/PERFORMANCE.md).
            int busyThreads = Math.Max(fileWorkers, windowWorkers) * classifier.Options.Interpreter.Threads;
            if (busyThreads > Environment.ProcessorCount && classifier.Options.Interpreter.Threads > 1)
                StdErr.WriteLine($"yamnet: warning: {Math.Max(fileWorkers, windowWorkers)} jobs x {classifier.Options.Interpreter.Threads} threads exceeds the {Environment.ProcessorCount} cores; expect a large slowdown (use --numThreads 1 or fewer --jobs)");
            if (files.Count == 0) return BatchRun.Finish(plan, sink, written: 0, failed: 0);
            int rc = RunBatch(files, settings with { WindowWorkers = windowWorkers }, sink is null ? formatter : null, run, fileWorkers, sink, out int failedCount);
            return sink is null && plan.Conflicts.Count == 0 ? rc : BatchRun.Finish(plan, sink, files.Count - failedCount, failedCount);
        });
        return command;
    }

    private static int RunBatch(List<InputFile> files, Settings settings, IResultFormatter? formatter, RunInfo run, int jobs, ResultFileSink? sink, out int failedCount)
    {
        // Build every worker's interpreter now, before any output: creating one briefly points fd 2
        // at a capture buffer (to keep TFLite's chatter off the terminal), which would swallow a
        // progress bar or an error line written by another thread at that moment.
        var warm = Enumerable.Range(0, jobs).Select(_ => settings.Classifier.RentSession()).ToList();
        foreach (var session in warm) session.Dispose();
        var results = new TaskCompletionSource<FileResult>[files.Count];
        for (int i = 0; i < results.Length; i++) results[i] = new TaskCompletionSource<FileResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        int next = -1, completed = 0;
        var workers = new Task[jobs];
        for (int w = 0; w < jobs; w++)
        {
            workers[w] = Task.Factory.StartNew(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < files.Count)
                {
                    FileResult r;
                    try
                    {
                        r = AnalyzeFile(files[i], settings);
                        // --output-dir: the result goes to its file now, not in input order, so a killed
                        // run keeps every input that finished; only the outcome is kept for the report.
                        if (sink is not null && !r.Failed)
                        {
                            r = sink.Write(r)
                                ? new FileResult { Path = r.Path }
                                : new FileResult { Path = r.Path, Error = $"{sink.Directory.ResultPathFor(r.Path)} exists and is not this run's result; not replaced (--overwrite replaces it)" };
                        }
                    }
                    catch (Exception e)
                    {
                        r = new FileResult { Path = files[i].Path, Error = CliHost.OneLine(e.Message) };
                    }
                    Interlocked.Increment(ref completed);
                    results[i].SetResult(r);
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        var progress = files.Count > 1 && !Console.IsErrorRedirected ? new ProgressBar(files.Count) : null;
        int failed = 0;
        formatter?.Begin(run);
        for (int i = 0; i < files.Count; i++)
        {
            var task = results[i].Task;
            while (progress is not null && !task.Wait(100)) progress.Draw(Volatile.Read(ref completed));
            var r = task.GetAwaiter().GetResult();
            progress?.Clear();
            if (r.Failed)
            {
                failed++;
                StdErr.WriteLine($"yamnet: {r.Path}: {r.Error}");
            }
            formatter?.WriteFile(r);
            progress?.Draw(Volatile.Read(ref completed));
        }
        formatter?.End();
        progress?.Clear();
        Task.WaitAll(workers);
        failedCount = failed;
        return failed > 0 ? ExitCodes.InputFailed : ExitCodes.Ok;
    }

    private static FileResult AnalyzeFile(InputFile input, Settings s)
    {
        if (input.Error is not null) return new FileResult { Path = input.Path, Error = input.Error };
        if (!File.Exists(input.Path))
            return new FileResult { Path = input.Path, Error = Directory.Exists(input.Path) ? "is a directory" : "file not found" };
        var classifier = s.Classifier;
        AudioReader reader;
        try
        {
            reader = AudioReader.Open(input.Path, classifier.SampleRate);
        }
        catch (Exception e) when (e is AudioException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new FileResult { Path = input.Path, Error = CliHost.OneLine(e.Message) };
        }
        using (reader)
        {
            var result = new FileResult { Path = input.Path, Format = reader.SourceFormat };
            var top = new ScoredClass[s.MaxResults];
            var session = classifier.RentSession();
            FileAnalysisStats stats;
            try
            {
                if (s.Summary is { } kind)
                {
                    var aggregate = new ScoreAggregate(classifier.ClassCount, kind);
                    stats = Analyze(session, reader, s, (in AudioWindow _, ReadOnlySpan<float> scores) => aggregate.Add(scores));
                    if (stats.Windows > 0)
                    {
                        int n = TopK.Select(aggregate.Result(), top, s.Threshold, s.Filter);
                        result.Summary = new SummaryResult(kind == ScoreAggregation.Mean ? "mean" : "max", stats.Windows, 0,
                            stats.SamplesRead / (double)classifier.SampleRate, top.AsSpan(0, n).ToArray());
                    }
                }
                else
                {
                    stats = Analyze(session, reader, s, (in AudioWindow window, ReadOnlySpan<float> scores) =>
                    {
                        int n = TopK.Select(scores, top, s.Threshold, s.Filter);
                        result.Windows.Add(new WindowResult(window, top.AsSpan(0, n).ToArray()));
                    });
                }
            }
            catch (AudioException e)
            {
                return new FileResult { Path = input.Path, Format = reader.SourceFormat, Error = CliHost.OneLine(e.Message) };
            }
            finally
            {
                session.Dispose();
            }
            if (stats.Windows == 0) return new FileResult { Path = input.Path, Format = reader.SourceFormat, Error = "contains no audio samples" };
            return result;
        }
    }

    private static FileAnalysisStats Analyze(ClassifierSession session, AudioReader reader, Settings s, WindowScoresCallback onWindow)
        => s.WindowWorkers > 1
            ? new WindowPipeline(s.Classifier, s.WindowWorkers).Analyze(reader, s.Hop, onWindow)
            : FileAnalyzer.Analyze(session, reader, s.Hop, onWindow, s.Mode == "first" ? 1 : int.MaxValue);
}
