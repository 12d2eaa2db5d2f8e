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

    /// <summary>Selects this run's inputs; with --output-dir also the sink their results go to.</summary>
    public static (BatchPlan<InputFile> Plan, ResultFileSink? Sink) Plan(List<InputFile> files, BatchSettings batch, RunInfo run, ResultSettings result, string? labelsCsv)
    {
        ResultFileSink? sink = null;
        ResultDirectory? directory = null;
        if (batch.OutputDir is { } dir)
        {
            var (suffix, sidecar) = ResultFileSink.Layout(result.Format);
            directory = new ResultDirectory(dir, suffix, Fingerprint(run, result, labelsCsv), sidecar) { Overwrite = batch.Overwrite };
            try
            {
                directory.EnsureRoot();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--output-dir {dir}: {CliHost.OneLine(e.Message)}");
            }
            sink = new ResultFileSink(directory, run, result.Format);
        }
        var plan = BatchPlan<InputFile>.Create(files, f => f.Path, batch.Shard, directory, f => f.Error is null);
        foreach (var c in plan.Conflicts)
            StdErr.WriteLine($"yamnet: {c.Path}: {directory!.ResultPathFor(c.Path)} exists and is not this run's result; not replaced (--overwrite replaces it)");
        return (plan, sink);
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
