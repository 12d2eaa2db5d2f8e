using System.CommandLine;
using Yamnet.Evaluation;
using Yamnet.Events;

namespace Yamnet.Cli.Commands;

/// <summary>
/// <c>yamnet eval --reference REF.tsv (--estimated EST.tsv | --audio FILE…)</c>: sed_eval's
/// event-based and segment-based metrics of estimated events against reference events (DCASE
/// tab-separated lists), as a table or JSON. With --audio, the estimated events are detected first
/// with detect's event options (each file named as given, paired with the reference by base name).
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var events = new EventOptions();
        var reference = new Option<string?>("--reference") { Description = "Reference events: filename<TAB>onset<TAB>offset<TAB>event_label per line (DCASE)." };
        var estimated = new Option<string?>("--estimated") { Description = "Estimated events, same format (e.g. from yamnet detect --format ... or another system)." };
        var audio = new Option<string[]>("--audio") { Description = "Detect the estimated events in these audio files first (repeatable), with detect's event options.", AllowMultipleArgumentsPerToken = true };
        var format = new Option<string>("--format") { Description = "text (a table) or json (sed_eval's names).", DefaultValueFactory = _ => "text" };
        var allow = new Option<string[]>("--allow") { Description = "With --audio: only detect this label or group (repeatable)." };
        var hop = new Option<string?>("--hop") { Description = "With --audio: hop between windows (samples, seconds, 'window')." };
        var collar = new Option<double>("--collar") { Description = "Onset collar in seconds (and the offset collar's minimum). Default 0.2.", DefaultValueFactory = _ => EventBasedMetrics.DefaultCollar };
        var resolution = new Option<double>("--segment") { Description = "Segment length of the segment-based metrics in seconds. Default 1.", DefaultValueFactory = _ => SegmentBasedMetrics.DefaultResolution };

        var command = new Command("eval", "Score detected events against a reference (sed_eval's event- and segment-based F1 and error rate).");
        foreach (var o in new Option[] { reference, estimated, audio, format, allow, hop, collar, resolution }) command.Options.Add(o);
        events.AddTo(command);
        common.AddTo(command);

        command.SetAction(parse =>
        {
            string fmt = parse.GetValue(format)?.ToLowerInvariant() switch
            {
                "text" => "text",
                "json" => "json",
                var f => throw new UsageException($"Unknown format '{f}': use text or json."),
            };
            string refPath = parse.GetValue(reference) ?? throw new UsageException("--reference REF.tsv is required.");
            string? estPath = parse.GetValue(estimated);
            var audioFiles = parse.GetValue(audio) ?? [];
            if ((estPath is null) == (audioFiles.Length == 0)) throw new UsageException("Give either --estimated EST.tsv or --audio FILE... (the events to score).");
            double c = parse.GetValue(collar), res = parse.GetValue(resolution);
            if (!(c >= 0 && double.IsFinite(c))) throw new UsageException("--collar must be a finite number of seconds >= 0.");
            if (!(res > 0 && double.IsFinite(res))) throw new UsageException("--segment must be a positive number of seconds.");
            DcaseEventList.Contents refList, estList;
            try
            {
                refList = DcaseEventList.Read(refPath);
                estList = estPath is not null ? DcaseEventList.Read(estPath) : Detect(parse, common, events, audioFiles, parse.GetValue(allow) ?? [], parse.GetValue(hop));
            }
            catch (Exception e) when (e is FormatException or FileNotFoundException)
            {
                throw new UsageException(e.Message);
            }

            var result = SedEvaluation.Evaluate(refList, estList, c, EventBasedMetrics.DefaultOffsetFraction, res);
            using var stdout = Console.OpenStandardOutput();
            if (fmt == "json")
            {
                SedReport.WriteJson(stdout, result, c, EventBasedMetrics.DefaultOffsetFraction, res);
            }
            else
            {
                using var w = new StreamWriter(stdout, new System.Text.UTF8Encoding(false), 1 << 14, leaveOpen: true) { NewLine = "\n" };
                SedReport.WriteText(w, result, c, EventBasedMetrics.DefaultOffsetFraction, res);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static DcaseEventList.Contents Detect(ParseResult parse, CommonOptions common, EventOptions events, string[] audio, string[] allow, string? hopText)
    {
        var options = events.Resolve(parse, allow, []);
        using var classifier = common.LoadClassifier(parse);
        int hop = new ResultSettings(1, 0, 0.5f, [], [], "text") { HopText = hopText }.HopFor(classifier.WindowLength, classifier.SampleRate);
        EventOptions.CheckAgainst(options, classifier.Labels, classifier.WindowLength, hop, classifier.SampleRate);
        var found = new List<AnnotatedEvent>();
        var files = new List<string>();
        foreach (var r in FileEventDetector.DetectAll(classifier, audio.Select(a => (a, (string?)null)).ToList(), hop, options, Environment.ProcessorCount))
        {
            if (r.Failed) throw new UsageException($"{r.Path}: {r.Error}");
            files.Add(r.Path);
            found.AddRange(r.Events.Select(e => new AnnotatedEvent(r.Path, e.StartSeconds, e.EndSeconds, e.Label)));
        }
        return new DcaseEventList.Contents(found, files);
    }
}
