using Yamnet.Audio;
using Yamnet.Batch;
using Yamnet.Classification;
using Yamnet.Cli.Output;

namespace Yamnet.Cli.Commands;

/// <summary>
/// Runs <c>embed</c> over its inputs in order, each file's windows spread over <c>--jobs</c>
/// interpreters (<see cref="WindowPipeline"/>, bounded and in order), each vector streamed to the
/// writer as it arrives: memory is flat in the file length. A bad input is reported and skipped.
/// SIGINT/SIGTERM or a closed stdout (<see cref="Interruption"/>) stop it between windows: no
/// further input is started, the output is closed validly and one line says what was done.
/// </summary>
internal sealed partial class EmbedRun(AudioClassifier classifier, int hop, int jobs, string format, bool mean, Interruption interruption)
{
    private const string ResultSchema = "embed-1";
    private readonly int _dimension = classifier.Extras!.EmbeddingLength;
    private int _finished;
    private string? _cut;

    public int ToStdout(List<InputFile> files)
    {
        using var stdout = GuardedOutput.OpenStdout(interruption.OnOutputFailed);
        using var writer = new TextEmbeddingWriter(stdout, format, _dimension);
        int failed = EmbedAll(files, writer);
        if (!interruption.OutputLost) writer.Finish();
        if (interruption.Requested) return interruption.Report(_finished, files.Count, _cut);
        return failed > 0 ? ExitCodes.InputFailed : ExitCodes.Ok;
    }

    /// <summary>-o FILE: written to temp files beside the target and renamed over it only when complete.</summary>
    public int ToFile(List<InputFile> files, string path)
    {
        string full = Path.GetFullPath(path);
        string times = NpyEmbeddingWriter.TimesPathFor(full);
        string tempMain = TempFor(full), tempTimes = TempFor(times);
        int failed = 0;
        try
        {
            using (var main = new FileStream(tempMain, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            using (var side = format == "npy" ? new FileStream(tempTimes, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16) : null)
            {
                using IEmbeddingWriter writer = format == "npy" ? new NpyEmbeddingWriter(main, side!, _dimension) : new TextEmbeddingWriter(main, format, _dimension);
                failed = EmbedAll(files, writer);
                writer.Finish();
            }
            if (interruption.Requested && _finished == 0 && _cut is null) return interruption.Report(0, files.Count, null);
            if (failed == files.Count) return ExitCodes.InputFailed; // nothing to keep: leave no output
            if (format == "npy") File.Move(tempTimes, times, overwrite: true);
            File.Move(tempMain, full, overwrite: true);
            if (interruption.Requested) return interruption.Report(_finished, files.Count, _cut);
            return failed > 0 ? ExitCodes.InputFailed : ExitCodes.Ok;
        }
        finally
        {
            File.Delete(tempMain);
            File.Delete(tempTimes);
        }
    }

    /// <summary>--output-dir: one result per input (two files for npy), resumable and sharded like classify's.</summary>
    public int ToDirectory(List<InputFile> files, BatchSettings batch, string dir)
    {
        string fingerprint = new RunFingerprint().Add("schema", ResultSchema).Add("model_sha256", classifier.Model.Sha256)
            .Add("sample_rate", classifier.SampleRate).Add("delegate", CommonOptions.DelegateName(classifier.Options.Interpreter.Delegate))
            .Add("hop", hop).Add("summary", mean ? "mean" : "windows").Add("format", format).Hex;
        var results = BatchRun.OpenDirectory(dir, "." + format, fingerprint, stampInSidecar: true, batch.Overwrite);
        var timesDir = new ResultDirectory(dir, ".times.npy", fingerprint, stampInSidecar: true) { Overwrite = batch.Overwrite };
        var plan = BatchRun.Select(files, batch, results);
        int written = 0, failed = plan.Conflicts.Count;
        foreach (var input in plan.ToRun)
        {
            if (interruption.Requested) break;
            bool ok = false, placed;
            try
            {
                placed = results.Write(input.Path, stream =>
                {
                    if (format != "npy")
                    {
                        using var text = new TextEmbeddingWriter(stream, format, _dimension);
                        ok = Embed(input, text);
                        text.Finish();
                    }
                    else if (!timesDir.Write(input.Path, side =>
                    {
                        using var npy = new NpyEmbeddingWriter(stream, side, _dimension);
                        ok = Embed(input, npy);
                        npy.Finish();
                        if (!ok) throw new OperationCanceledException(); // keep neither file
                    }))
                    {
                        StdErr.WriteLine($"yamnet: {input.Path}: {timesDir.ResultPathFor(input.Path)} exists and is not this run's result; not replaced (--overwrite replaces it)");
                    }
                    if (!ok) throw new OperationCanceledException();
                });
            }
            catch (OperationCanceledException)
            {
                placed = false;
            }
            if (ok && placed) written++;
            else if (!interruption.Requested) failed++;
        }
        if (interruption.Requested) return interruption.Report(_finished, plan.ToRun.Count, _cut is null ? null : _cut + "; its result was not written");
        StdErr.WriteLine($"yamnet: {written} result{(written == 1 ? "" : "s")} written to {results.Root}, {plan.Done.Count} already done, {failed} failed" +
            (plan.OtherShards > 0 ? $", {plan.OtherShards} left to other shards" : ""));
        return failed > 0 ? ExitCodes.InputFailed : ExitCodes.Ok;
    }

    private static string TempFor(string path)
        => Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
}
