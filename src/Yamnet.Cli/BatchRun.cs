using System.Security.Cryptography;
using Yamnet.Batch;
using Yamnet.Cli.Output;

namespace Yamnet.Cli;

/// <summary>
/// The CLI side of a sharded/resumable batch: turns the options into the library's
/// <see cref="BatchPlan{T}"/> and <see cref="ResultDirectory"/>, and prints the one-line account.
/// </summary>
public static class BatchRun
{
    /// <summary>Bumped when the content of a result file changes for the same options, so old results are redone.</summary>
    private const string ResultSchema = "classify-1";

    /// <summary>
    /// A batch command's inputs: its arguments (files, directories, globs; an unknown dash-word is a
    /// usage error, not a missing file) and the --files-from list, in that order.
    /// </summary>
    public static List<InputFile> Inputs(string command, IReadOnlyList<string> args, BatchSettings batch, string noInput)
    {
        if (args.Count == 0 && batch.ListedInputs.Count == 0) throw new UsageException(noInput);
        foreach (string arg in args)
        {
            if (arg.Length > 1 && arg[0] == '-' && !File.Exists(arg) && !Directory.Exists(arg))
                throw new UsageException($"Unknown option '{arg}' (see 'yamnet {command} --help').");
        }
        var files = InputExpander.Expand(args, batch.IncludeHidden);
        files.AddRange(batch.ListedInputs.Select(p => new InputFile(p)));
        return files;
    }

    /// <summary>The --output-dir result directory, created now so an unusable one is a usage error before any work.</summary>
    public static ResultDirectory OpenDirectory(string dir, string suffix, string fingerprint, bool stampInSidecar, bool overwrite)
    {
        var directory = new ResultDirectory(dir, suffix, fingerprint, stampInSidecar) { Overwrite = overwrite };
        try
        {
            directory.EnsureRoot();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--output-dir {dir}: {CliHost.OneLine(e.Message)}");
        }
        return directory;
    }

    /// <summary>This shard's inputs minus those already done; a result file that is not ours is reported, never replaced.</summary>
    public static BatchPlan<InputFile> Select(List<InputFile> files, BatchSettings batch, ResultDirectory? directory)
    {
        var plan = BatchPlan<InputFile>.Create(files, f => f.Path, batch.Shard, directory, f => f.Error is null);
        foreach (var c in plan.Conflicts)
            StdErr.WriteLine($"yamnet: {c.Path}: {directory!.ResultPathFor(c.Path)} exists and is not this run's result; not replaced (--overwrite replaces it)");
        return plan;
    }

    /// <summary>Selects this run's inputs; with --output-dir also the sink their results go to.</summary>
    public static (BatchPlan<InputFile> Plan, ResultFileSink? Sink) Plan(List<InputFile> files, BatchSettings batch, RunInfo run, ResultSettings result, string? labelsCsv)
    {
        ResultFileSink? sink = null;
        ResultDirectory? directory = null;
        if (batch.OutputDir is { } dir)
        {
            var (suffix, sidecar) = ResultFileSink.Layout(result.Format);
            directory = OpenDirectory(dir, suffix, Fingerprint(run, result, labelsCsv), sidecar, batch.Overwrite);
            sink = new ResultFileSink(directory, run, result.Format);
        }
        return (Select(files, batch, directory), sink);
    }

    /// <summary>The hash of everything that shapes a result file (not the thread or job count: results do not depend on them).</summary>
    public static string Fingerprint(RunInfo run, ResultSettings result, string? labelsCsv)
    {
        var f = new RunFingerprint()
            .Add("schema", ResultSchema)
            .Add("model_sha256", run.Sha256)
            .Add("labels", labelsCsv is null ? "model" : "csv:" + Sha256Of(labelsCsv))
            .Add("sample_rate", run.SampleRate)
            .Add("delegate", run.Delegate)
            .Add("hop", run.Hop)
            .Add("mode", run.Mode)
            .Add("max_results", result.MaxResults)
            .Add("threshold", result.Threshold)
            .Add("allow", result.Allow)
            .Add("deny", result.Deny)
            .Add("format", result.Format);
        return f.Hex;
    }

    /// <summary>Prints what the run did (with --output-dir or a skip) and returns the exit code.</summary>
    public static int Finish(BatchPlan<InputFile> plan, ResultFileSink? sink, int written, int failed)
    {
        failed += plan.Conflicts.Count;
        if (sink is not null)
        {
            string shard = plan.OtherShards > 0 ? $", {plan.OtherShards} left to other shards" : "";
            StdErr.WriteLine($"yamnet: {written} result{(written == 1 ? "" : "s")} written to {sink.Directory.Root}, {plan.Done.Count} already done, {failed} failed{shard}");
        }
        return failed > 0 ? ExitCodes.InputFailed : ExitCodes.Ok;
    }

    private static string Sha256Of(string path)
    {
        try
        {
            using var f = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(f));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable:" + path;
        }
    }
}
