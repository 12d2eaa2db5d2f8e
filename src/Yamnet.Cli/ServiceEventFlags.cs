using System.CommandLine;
using Yamnet.Events;
using Yamnet.Service.Configuration;

namespace Yamnet.Cli;

/// <summary>
/// detect's event flags (<c>--threshold</c>, <c>--class-threshold</c>, <c>--thresholds</c>,
/// <c>--min-duration</c>, <c>--merge-gap</c>, <c>--median</c>, <c>--group</c>, <c>--groups</c>,
/// <c>--deny</c>, <c>--stall-timeout</c>, <c>--hop</c>) as given on <c>listen</c>'s command line, applied to
/// a service run's <see cref="EventsConfig"/>. Only flags actually given override the config file; list
/// flags add to the file's lists.
/// </summary>
public sealed record ServiceEventFlags(ListenEventOptions Events, ResultOptions Results, ResultSettings Settings)
{
    public void ApplyTo(ParseResult parse, ServiceConfig config, List<string> errors)
    {
        var e = config.Events;
        EventOptions r = Events.Rules;
        if (Given(parse, r.Threshold) && parse.GetValue(r.Threshold) is { } t)
        {
            try
            {
                var on = EventRuleOverride.ParseThreshold("default=" + t);
                e.Threshold = on.On!.Value;
                e.OffThreshold = on.Off;
            }
            catch (FormatException ex)
            {
                errors.Add("--threshold: " + ex.Message.Replace("'default=", "'", StringComparison.Ordinal));
            }
        }
        e.ClassThresholds.AddRange(parse.GetValue(r.ClassThreshold) ?? []);
        e.Groups.AddRange(parse.GetValue(r.Group) ?? []);
        if (parse.GetValue(r.Thresholds) is { } rules) e.RulesFile = Path.GetFullPath(rules);
        if (parse.GetValue(r.Groups) is { } groups) e.GroupsFile = Path.GetFullPath(groups);
        if (Given(parse, r.MinDuration)) e.MinDurationSeconds = parse.GetValue(r.MinDuration);
        if (Given(parse, r.MergeGap)) e.MergeGapSeconds = parse.GetValue(r.MergeGap);
        if (Given(parse, r.Median)) e.Median = parse.GetValue(r.Median);
        if (Given(parse, Events.StallTimeout)) e.StallSeconds = parse.GetValue(Events.StallTimeout);
        if (Settings.Deny is { Length: > 0 } deny) e.Deny = [.. deny];
    }

    /// <summary>--hop (samples, seconds, ms or 'window'), once the model's window and rate are known.</summary>
    public void ApplyHop(ServiceConfig config, int windowLength, int sampleRate)
    {
        if (Settings.HopText is not null) config.HopSeconds = Settings.HopFor(windowLength, sampleRate) / (double)sampleRate;
    }

    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
