namespace Yamnet.Service.Configuration;

/// <summary>Event rules: which labels are watched and when an event opens and closes.</summary>
public sealed class EventsConfig
{
    /// <summary>Watched labels (exact model labels or group names): events, MQTT states and Home Assistant sensors. Empty: every class makes events, no per-label sensors.</summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>Labels that never make events (as <c>yamnet detect --deny</c>); excludes <see cref="Labels"/>.</summary>
    public List<string> Deny { get; set; } = [];

    /// <summary>Score at which an event opens.</summary>
    public double Threshold { get; set; } = 0.5;

    /// <summary>Score below which an open event closes (hysteresis; at most <see cref="Threshold"/>). Null: the threshold.</summary>
    public double? OffThreshold { get; set; }

    /// <summary>Events shorter than this are not reported.</summary>
    public double MinDurationSeconds { get; set; }

    /// <summary>Two events of a class separated by less than this are one.</summary>
    public double MergeGapSeconds { get; set; }

    /// <summary>Median filter over this many windows (odd, 1 = none) before thresholding.</summary>
    public int Median { get; set; } = 1;

    /// <summary>Per-label thresholds, <c>LABEL=ON[:OFF]</c> (as <c>yamnet detect --class-threshold</c>).</summary>
    public List<string> ClassThresholds { get; set; } = [];

    /// <summary>Label groups, <c>NAME=LABEL;LABEL;…</c>, scored as the max of their members; usable in <see cref="Labels"/>.</summary>
    public List<string> Groups { get; set; } = [];

    /// <summary>A thresholds file (the format of <c>yamnet detect</c>'s).</summary>
    public string? RulesFile { get; set; }

    /// <summary>A groups file (the format of <c>yamnet detect</c>'s).</summary>
    public string? GroupsFile { get; set; }

    /// <summary>Open events are closed when no audio arrived for this long (a timer, so a stalled stream leaves nothing open).</summary>
    public double StallSeconds { get; set; } = 5;

    internal void Validate(string path, List<string> errors)
    {
        if (!(Threshold > 0 && Threshold <= 1)) errors.Add($"{path}.threshold: must be in (0, 1]");
        if (OffThreshold is { } off && !(off >= 0 && off <= Threshold)) errors.Add($"{path}.off_threshold: must be between 0 and the threshold ({Threshold})");
        if (!(MinDurationSeconds >= 0 && double.IsFinite(MinDurationSeconds))) errors.Add($"{path}.min_duration: must be 0 or more seconds");
        if (!(MergeGapSeconds >= 0 && double.IsFinite(MergeGapSeconds))) errors.Add($"{path}.merge_gap: must be 0 or more seconds");
        if (Median < 1 || Median % 2 == 0 || Median > 101) errors.Add($"{path}.median: must be an odd number of windows from 1 to 101");
        if (!(StallSeconds > 0 && double.IsFinite(StallSeconds))) errors.Add($"{path}.stall_seconds: must be a positive number of seconds");
        if (Labels.Count > 0 && Deny.Count > 0) errors.Add($"{path}.deny: labels (watched) and deny exclude each other");
        for (int i = 0; i < Deny.Count; i++)
            if (string.IsNullOrWhiteSpace(Deny[i])) errors.Add($"{path}.deny[{i}]: must be a label");
        for (int i = 0; i < Labels.Count; i++)
            if (string.IsNullOrWhiteSpace(Labels[i])) errors.Add($"{path}.labels[{i}]: must be a label");
    }
}
