using Yamnet.Events;
using Yamnet.Service.Configuration;

namespace Yamnet.Service.Processing;

/// <summary>The service's event settings as the library's <see cref="EventDetectorOptions"/> (the rules of <c>yamnet detect</c>).</summary>
public static class EventRules
{
    /// <exception cref="ServiceConfigException">A bad class threshold, group, rules file or groups file (with its config path).</exception>
    public static EventDetectorOptions ToOptions(EventsConfig config)
    {
        var errors = new List<string>();
        var rules = new List<EventRuleOverride>();
        var groups = new List<LabelGroup>();
        float on = (float)config.Threshold;
        var rule = new EventRule(on, (float)(config.OffThreshold ?? Math.Min(EventRule.Default.Off, config.Threshold)),
            config.MinDurationSeconds, config.MergeGapSeconds, config.Median);
        Try("events.rules_file", () => { if (config.RulesFile is { } f) rules.AddRange(EventRuleFile.Read(f)); });
        for (int i = 0; i < config.ClassThresholds.Count; i++)
        {
            int k = i;
            Try($"events.class_thresholds[{k}]", () => rules.Add(EventRuleOverride.ParseThreshold(config.ClassThresholds[k])));
        }
        Try("events.groups_file", () => { if (config.GroupsFile is { } f) groups.AddRange(LabelGroupFile.Read(f)); });
        for (int i = 0; i < config.Groups.Count; i++)
        {
            int k = i;
            Try($"events.groups[{k}]", () => groups.Add(LabelGroup.Parse(config.Groups[k]) with { Source = $"events.groups[{k}]" }));
        }
        if (errors.Count > 0) throw new ServiceConfigException(errors);
        return new EventDetectorOptions { DefaultRule = rule, Rules = rules, Groups = groups, Allow = config.Labels, Deny = config.Deny };

        void Try(string path, Action read)
        {
            try
            {
                read();
            }
            catch (Exception e) when (e is FormatException or IOException or ArgumentException or UnauthorizedAccessException)
            {
                errors.Add($"{path}: {e.Message}");
            }
        }
    }
}
