using System.CommandLine;
using Yamnet.Batch;
using Yamnet.Embeddings;

namespace Yamnet.Cli.Commands;

/// <summary>
/// <c>yamnet embed</c>: one embedding per window (the input of the model's final layer, dequantized)
/// with its time range, as .npy (+ a .times.npy), csv or jsonl; <c>--summary mean</c> gives one
/// vector per file. Inputs, hop, jobs and batch options are classify's.
/// </summary>
public static class EmbedCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var wavFile = new Option<string[]>("--wavFile") { Description = "An audio file (repeatable); any format and rate classify reads." };
        var inputs = new Argument<string[]>("inputs") { Description = "More inputs: files, directories (searched recursively) or globs.", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string?>("-o", "--output") { Description = "Write to FILE (atomically) instead of stdout. npy writes FILE and FILE's .times.npy beside it (start/end seconds) and takes one input; use --output-dir for several." };
        var format = new Option<string?>("--format") { Description = "npy (float32 [vectors, dim] + float64 [vectors, 2] times), csv (file,window,start_seconds,end_seconds,e0..) or jsonl. Default: from -o's extension, npy with --output-dir, else jsonl." };
        var summary = new Option<string?>("--summary") { Description = "mean: one vector per file, the mean of its windows' embeddings." };
        var overlap = new Option<float>("--overlappingFactor") { Description = "Overlap of consecutive windows, at least 0 and below 1 (default 0.5).", DefaultValueFactory = _ => 0.5f };
        var hop = new Option<string?>("--hop") { Description = "Hop between window starts instead of --overlappingFactor: samples, seconds (0.5s), ms or 'window'." };
        var jobs = new Option<int>("--jobs") { Description = "Interpreters over the windows of each file (default: processor count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var batch = new BatchOptions();

        var command = new Command("embed", "Write the model's embedding of every window (or each file's mean).");
        command.Options.Add(wavFile);
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { output, format, summary, overlap, hop, jobs }) command.Options.Add(o);
        batch.AddTo(command);
        common.AddTo(command);

        command.SetAction(parse =>
        {
            common.RejectUnsupported(parse);
            string? outFile = parse.GetValue(output);
            var batchSettings = batch.Resolve(parse);
            if (outFile is not null && batchSettings.OutputDir is not null) throw new UsageException("-o and --output-dir are mutually exclusive.");
            if (outFile is { Length: 0 } || outFile == "-") outFile = null;
            string fmt = (parse.GetValue(format) ?? DefaultFormat(outFile, batchSettings.OutputDir)).ToLowerInvariant();
            if (fmt is not ("npy" or "csv" or "jsonl")) throw new UsageException($"Unknown format '{fmt}': use npy, csv or jsonl.");
            if (fmt == "npy" && outFile is null && batchSettings.OutputDir is null)
                throw new UsageException("npy output needs a file: give -o FILE.npy or --output-dir DIR.");
            bool mean = parse.GetValue(summary)?.ToLowerInvariant() switch
            {
                null => false,
                "mean" => true,
                var s => throw new UsageException($"Unknown summary '{s}': use mean."),
            };
            float factor = parse.GetValue(overlap);
            if (!(factor >= 0f && factor < 1f)) throw new UsageException("Overlapping factor must be between 0 and 1.");
            string? hopText = parse.GetValue(hop);
            if (hopText is not null && parse.GetResult(overlap) is { Implicit: false })
                throw new UsageException("--hop and --overlappingFactor are mutually exclusive: give one.");
            int jobCount = parse.GetValue(jobs);
            if (jobCount < 1) throw new UsageException("Number of jobs must be at least 1.");

            var args = (parse.GetValue(wavFile) ?? []).Concat(parse.GetValue(inputs) ?? []).ToList();
            var files = BatchRun.Inputs("embed", args, batchSettings,
                "No input: give files, directories or globs as arguments, --wavFile FILE, or --files-from LIST.");
            if (outFile is not null)
            {
                string full = Path.GetFullPath(outFile);
                if (files.Any(f => Path.GetFullPath(f.Path) == full || (fmt == "npy" && Path.GetFullPath(f.Path) == Path.GetFullPath(Output.NpyEmbeddingWriter.TimesPathFor(outFile)))))
                    throw new UsageException($"-o {outFile}: is one of the inputs; refusing to overwrite it.");
                if (Directory.Exists(outFile)) throw new UsageException($"-o {outFile}: is a directory (use --output-dir).");
                if (fmt == "npy" && files.Count != 1) throw new UsageException($"-o with npy takes one input ({files.Count} given): use --output-dir DIR for one .npy per input, or csv/jsonl.");
            }

            using var classifier = common.LoadClassifier(parse, extraOutputs: ExtraOutputs.Embedding);
            int hopSamples = new ResultSettings(1, 0, factor, [], [], "csv") { HopText = hopText }.HopFor(classifier.WindowLength, classifier.SampleRate);
            using var interruption = new Interruption();
            var run = new EmbedRun(classifier, hopSamples, jobCount, fmt, mean, interruption);
            if (batchSettings.OutputDir is { } dir) return run.ToDirectory(files, batchSettings, dir);
            return outFile is null ? run.ToStdout(files) : run.ToFile(files, outFile);
        });
        return command;
    }

    private static string DefaultFormat(string? outFile, string? outputDir)
    {
        if (outFile is not null)
        {
            string ext = Path.GetExtension(outFile).ToLowerInvariant();
            return ext switch { ".npy" => "npy", ".csv" => "csv", ".jsonl" or ".json" => "jsonl", _ => "jsonl" };
        }
        return outputDir is not null ? "npy" : "jsonl";
    }
}
