using System.CommandLine;
using System.Globalization;
using Yamnet.Events;

namespace Yamnet.Cli;

/// <summary>
/// The event-detection options shared by <c>detect</c> and <c>listen --events</c> (and the service):
/// thresholds, rules files, durations, median filter and label groups. The rules themselves live in
/// <c>Yamnet.Events</c>; this parses and validates (exit 2 on anything wrong).
/// </summary>
public sealed class EventOptions
{
    public Option<string> Threshold { get; } = new("--threshold") { Description = "Default thresholds ON[:OFF]: an event opens when a class's score reaches ON and lasts while it stays >= OFF (hysteresis; OFF <= ON). Default 0.5:0.3.", DefaultValueFactory = _ => "0.5:0.3" };

    public Option<string[]> ClassThreshold { get; } = new("--class-threshold") { Description = "Per-class thresholds LABEL=ON[:OFF] (repeatable; LABEL is a class label or a group name; labels may contain commas). Without OFF: min(ON, default OFF)." };

    public Option<string?> Thresholds { get; } = new("--thresholds") { Description = "A rules file: one LABEL<TAB>ON[<TAB>OFF[<TAB>MIN_DURATION[<TAB>MERGE_GAP[<TAB>MEDIAN]]]] per line ('-' or empty keeps the default; '#' comments)." };

    public Option<double> MinDuration { get; } = new("--min-duration") { Description = "Drop events shorter than this many seconds (after merging). Default 0.", DefaultValueFactory = _ => 0 };

    public Option<double> MergeGap { get; } = new("--merge-gap") { Description = "Merge two events of the same class separated by at most this many seconds. Default 0.", DefaultValueFactory = _ => 0 };

    public Option<int> Median { get; } = new("--median") { Description = "Median-filter each class's scores over K windows (odd K; 1 = off) before thresholding. Default 1.", DefaultValueFactory = _ => 1 };

    public Option<string[]> Group { get; } = new("--group") { Description = "A label group NAME=LABEL;LABEL;... scored as the max of its members (repeatable), e.g. --group 'dog=Dog;Bark;Howl'. Use the name wherever a label goes." };

    public Option<string?> Groups { get; } = new("--groups") { Description = "A groups file: one NAME=LABEL;LABEL;... per line ('#' comments)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Threshold);
        command.Options.Add(ClassThreshold);
        command.Options.Add(Thresholds);
        command.Options.Add(MinDuration);
        command.Options.Add(MergeGap);
        command.Options.Add(Median);
        command.Options.Add(Group);
        command.Options.Add(Groups);
    }

    /// <summary>The detector options from the command line (labels are checked later, against the model).</summary>
    public EventDetectorOptions Resolve(ParseResult parse, IReadOnlyList<string> allow, IReadOnlyList<string> deny)
    {
        try
        {
            string t = parse.GetValue(Threshold) ?? "0.5:0.3";
            var defaults = EventRuleOverride.ParseThreshold("default=" + t);
            var rule = new EventRule(defaults.On!.Value, defaults.Off ?? defaults.On.Value, parse.GetValue(MinDuration), parse.GetValue(MergeGap), parse.GetValue(Median));
            rule.Validate("--threshold/--min-duration/--merge-gap/--median");
            var rules = new List<EventRuleOverride>();
            if (parse.GetValue(Thresholds) is { } file) rules.AddRange(EventRuleFile.Read(file));
            foreach (string text in parse.GetValue(ClassThreshold) ?? []) rules.Add(EventRuleOverride.ParseThreshold(text));
            // A --class-threshold given for a label of the file replaces the file's thresholds for it.
            rules = rules.GroupBy(r => r.Label, StringComparer.Ordinal).Select(g => g.Aggregate((a, b) => b with
            {
                MinDuration = b.MinDuration ?? a.MinDuration,
                MergeGap = b.MergeGap ?? a.MergeGap,
                Median = b.Median ?? a.Median,
            })).ToList();
            var groups = new List<LabelGroup>();
            if (parse.GetValue(Groups) is { } gfile) groups.AddRange(LabelGroupFile.Read(gfile));
            foreach (string text in parse.GetValue(Group) ?? []) groups.Add(LabelGroup.Parse(text) with { Source = "--group" });
            return new EventDetectorOptions { DefaultRule = rule, Rules = rules, Groups = groups, Allow = allow, Deny = deny };
        }
        catch (Exception e) when (e is FormatException or ArgumentException or FileNotFoundException)
        {
            throw new UsageException(e.Message.Replace("'default=", "'", StringComparison.Ordinal));
        }
    }

    /// <summary>The detector for <paramref name="labels"/> (unknown labels, group clashes: exit 2).</summary>
    public static void CheckAgainst(EventDetectorOptions options, Yamnet.Classification.ClassLabels labels, int windowLength, int hop, int sampleRate)
    {
        try
        {
            _ = new EventDetector(options, labels, new EventTimeline(windowLength, hop, sampleRate), new SoundEventList());
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Seconds for messages.</summary>
    public static string Seconds(double s) => s.ToString("0.000", CultureInfo.InvariantCulture);
}
