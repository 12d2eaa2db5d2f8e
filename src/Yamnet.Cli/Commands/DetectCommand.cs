using System.CommandLine;
using Yamnet.Batch;
using Yamnet.Cli.Output;
using Yamnet.Events;

namespace Yamnet.Cli.Commands;

/// <summary>
/// <c>yamnet detect [inputs…]</c>: sound events (label, start, end, peak, mean) of audio files, with
/// classify's inputs, model, labels, delegate and jobs options plus the event rules
/// (<see cref="EventOptions"/>), in text, json, jsonl, csv, Audacity or Raven format, on stdout or
/// one file per input (--output-dir). The work is <see cref="FileEventDetector"/>'s.
/// </summary>
public static class DetectCommand
{
    private const string ResultSchema = "detect-1";

    public static Command Create()
    {
        var common = new CommonOptions();
        var events = new EventOptions();
        var batch = new BatchOptions();
        var inputs = new Argument<string[]>("inputs") { Description = "Audio files, directories (searched recursively) or globs.", Arity = ArgumentArity.ZeroOrMore };
        var wavFile = new Option<string[]>("--wavFile") { Description = "An audio file (repeatable), as for classify." };
        var format = new Option<string>("--format") { Description = "text, json, jsonl, csv, audacity (label track: start<TAB>end<TAB>label), raven (selection table) or dcase (filename<TAB>onset<TAB>offset<TAB>label, for yamnet eval).", DefaultValueFactory = _ => "text" };
        var allow = new Option<string[]>("--allow") { Description = "Only detect this label or group (exact, repeatable). Excludes --deny." };
        var deny = new Option<string[]>("--deny") { Description = "Never report this label or group (exact, repeatable)." };
        var hop = new Option<string?>("--hop") { Description = "Hop between windows: samples (7800), seconds (0.4875s), ms, or 'window' (no overlap). Default: half a window." };
        var jobs = new Option<int>("--jobs") { Description = "Files analysed in parallel (one file: interpreters for its windows). Default: processor count.", DefaultValueFactory = _ => Environment.ProcessorCount };

        var command = new Command("detect", "Find sound events (what, from when to when) in audio files.");
        command.Arguments.Add(inputs);
        command.Options.Add(wavFile);
        command.Options.Add(format);
        command.Options.Add(allow);
        command.Options.Add(deny);
        command.Options.Add(hop);
        command.Options.Add(jobs);
        events.AddTo(command);
        batch.AddTo(command);
        common.AddTo(command);

        command.SetAction(parse =>
        {
            common.RejectUnsupported(parse);
            string fmt = parse.GetValue(format)?.ToLowerInvariant() ?? "text";
            if (!EventWriter.Formats.Contains(fmt)) throw new UsageException($"Unknown format '{fmt}': use {string.Join(", ", EventWriter.Formats)}.");
            int jobCount = parse.GetValue(jobs);
            if (jobCount < 1) throw new UsageException("Number of jobs must be at least 1.");
            var allowList = parse.GetValue(allow) ?? [];
            var denyList = parse.GetValue(deny) ?? [];
            if (allowList.Length > 0 && denyList.Length > 0) throw new UsageException("--allow and --deny are mutually exclusive.");
            var options = events.Resolve(parse, allowList, denyList);
            var batchSettings = batch.Resolve(parse);
            var args = (parse.GetValue(wavFile) ?? []).Concat(parse.GetValue(inputs) ?? []).ToList();
            var files = BatchRun.Inputs("detect", args, batchSettings, "No input: give audio files, directories or globs (or --files-from LIST).");

            using var classifier = common.LoadClassifier(parse);
            int hopSamples = new ResultSettings(1, 0, 0.5f, [], [], fmt) { HopText = parse.GetValue(hop) }.HopFor(classifier.WindowLength, classifier.SampleRate);
            EventOptions.CheckAgainst(options, classifier.Labels, classifier.WindowLength, hopSamples, classifier.SampleRate);
            var run = new RunDescription(classifier.Model.Source, classifier.Model.Sha256, classifier.SampleRate, classifier.WindowLength, hopSamples);

            ResultDirectory? directory = null;
            if (batchSettings.OutputDir is { } dir)
            {
                var (suffix, sidecar) = EventWriter.Layout(fmt);
                directory = BatchRun.OpenDirectory(dir, suffix, Fingerprint(parse, run, fmt), sidecar, batchSettings.Overwrite);
            }
            var plan = BatchRun.Select(files, batchSettings, directory);

            using var interruption = new Interruption();
            using var stdout = GuardedOutput.OpenStdout(interruption.OnOutputFailed);
            var writer = directory is null ? new EventWriter(stdout, fmt, classifier.SampleRate) : null;
            EventFileResult WriteResultFile(EventFileResult r)
            {
                bool written = directory!.Write(r.Path, stream =>
                {
                    var w = new EventWriter(stream, fmt, classifier.SampleRate, directory.Fingerprint);
                    w.Begin(run);
                    w.WriteFile(r);
                    w.End();
                });
                return written ? r : r with { Error = $"{directory.ResultPathFor(r.Path)} exists and is not this run's result; not replaced (--overwrite replaces it)" };
            }

            int failed = plan.Conflicts.Count, done = 0;
            EventFileResult? cut = null;
            writer?.Begin(run);
            var todo = plan.ToRun.Select(f => (f.Path, f.Error)).ToList();
            foreach (var r in FileEventDetector.DetectAll(classifier, todo, hopSamples, options, jobCount, directory is null ? null : WriteResultFile, interruption.Token))
            {
                if (r.Interrupted)
                {
                    cut ??= r; // said once, in the interruption's line
                }
                else if (r.Failed)
                {
                    failed++;
                    StdErr.WriteLine($"yamnet: {r.Path}: {r.Error}");
                }
                else
                {
                    done++;
                }
                writer?.WriteFile(r);
            }
            if (!interruption.OutputLost) writer?.End();
            if (interruption.Requested)
                return interruption.Report(done + failed - plan.Conflicts.Count, todo.Count, cut is null ? null : $"{cut.Path} cut at {cut.DurationSeconds:0.###} s{Interruption.Kept(cut.Events.Count, "event")}");
            if (directory is not null)
                StdErr.WriteLine($"yamnet: {done} result{(done == 1 ? "" : "s")} written to {directory.Root}, {plan.Done.Count} already done, {failed} failed");
            return failed > 0 ? ExitCodes.InputFailed : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Everything that shapes a result file: model, labels, hop, every event option, the format.</summary>
    private static string Fingerprint(ParseResult parse, RunDescription run, string format)
    {
        var f = new RunFingerprint().Add("schema", ResultSchema).Add("model_sha256", run.Sha256).Add("hop", run.Hop).Add("format", format);
        foreach (var option in parse.CommandResult.Command.Options.Where(o => o.Name is not ("--jobs" or "--numThreads" or "--verbose" or "--output-dir" or "--overwrite" or "--files-from" or "--shard" or "-0" or "--null")))
        {
            var value = parse.GetResult(option) is { Implicit: false } r ? string.Join('\u001f', r.Tokens.Select(t => t.Value)) : "";
            f.Add(option.Name, value);
        }
        foreach (string file in new[] { parse.GetValue<string?>("--thresholds"), parse.GetValue<string?>("--groups"), parse.GetValue<string?>("--labels") })
            if (file is not null && File.Exists(file)) f.Add("file:" + file, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))));
        return f.Hex;
    }
}
