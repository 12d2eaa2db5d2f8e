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
            var files = BatchRun.Inputs("classify", args, batchSettings,
                "No input: give --wavFile <file> (repeatable), files, directories or globs as arguments, or --files-from LIST.");

            using var classifier = common.LoadClassifier(parse);
            var filter = result.CreateFilter(classifier.Labels);
            int hop = result.HopFor(classifier.WindowLength, classifier.SampleRate);
            string mode = aggregation is { } a ? (a == ScoreAggregation.Mean ? "mean" : "max") : windowMode;
            var options = new ClassificationOptions
            {
                MaxResults = result.MaxResults,
                ScoreThreshold = result.Threshold,
                Filter = filter,
                Hop = hop,
                MaxWindows = mode == "first" ? 1 : int.MaxValue,
            };

            var run0 = new RunInfo(classifier.Model.Source, classifier.Model.Sha256, Yamnet.TfLite.KnownModels.NameOf(classifier.Model.Sha256),
                classifier.Labels, classifier.SampleRate, classifier.SampleRateSource, classifier.WindowLength, classifier.ClassCount,
                CommonOptions.DelegateName(classifier.Options.Interpreter.Delegate), hop, mode, files.Count > 1);

            var (plan, sink) = BatchRun.Plan(files, batchSettings, run0, result, parse.GetValue(common.Labels));
            var run = run0 with { MultipleFiles = plan.ToRun.Count > 1 };
            files = [.. plan.ToRun];

            using var interruption = new Interruption();
            using var stdout = GuardedOutput.OpenStdout(interruption.OnOutputFailed);
            using var text = new StreamWriter(stdout, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            IResultFormatter formatter = result.Format switch
            {
                "json" => new JsonFormatter(stdout),
                "jsonl" => new JsonLinesFormatter(stdout),
                "csv" => new CsvFormatter(text),
                _ => new TextFormatter(text),
            };
            // The library spreads several files over the jobs, or one file's windows (unless only the first is asked for).
            // XNNPACK's thread pool spin-waits: more busy threads than cores collapses throughput
            // (measured: 2 workers x 2 threads on 2 cores ran 80x slower than 2 x 1, docs/PERFORMANCE.md).
            int busy = files.Count == 1 && mode != "first" ? jobCount : Math.Min(jobCount, Math.Max(1, files.Count));
            int threads = classifier.Options.Interpreter.Threads;
            if (busy * threads > Environment.ProcessorCount && threads > 1)
                StdErr.WriteLine($"yamnet: warning: {busy} jobs x {threads} threads exceeds the {Environment.ProcessorCount} cores; expect a large slowdown (use --numThreads 1 or fewer --jobs)");
            if (files.Count == 0) return BatchRun.Finish(plan, sink, written: 0, failed: 0);
            var batchOptions = new BatchClassificationOptions { Jobs = jobCount, Summary = aggregation };
            int rc = ClassifyRunner.Run(classifier, files, options, batchOptions, sink is null ? formatter : null, run, sink, interruption, out int failedCount);
            return (sink is null && plan.Conflicts.Count == 0) || interruption.Requested ? rc : BatchRun.Finish(plan, sink, files.Count - failedCount, failedCount);
        });
        return command;
    }
}
