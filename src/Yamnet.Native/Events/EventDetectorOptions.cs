namespace Yamnet.Events;

/// <summary>
/// What an <see cref="EventDetector"/> tracks and how: a default rule, per-label overrides, label
/// groups, and an allow or deny list. Every class and every group is tracked unless
/// <see cref="Allow"/> names the ones to track or <see cref="Deny"/> removes some; a group does not
/// hide its members (use <c>Allow = ["dog"]</c> to see only the group). Labels are matched exactly.
/// </summary>
public sealed record EventDetectorOptions
{
    public EventRule DefaultRule { get; init; } = EventRule.Default;

    /// <summary>Per-label (class or group) rules; a label may appear once.</summary>
    public IReadOnlyList<EventRuleOverride> Rules { get; init; } = [];

    public IReadOnlyList<LabelGroup> Groups { get; init; } = [];

    /// <summary>Only these labels or groups produce events (exclusive with <see cref="Deny"/>).</summary>
    public IReadOnlyList<string> Allow { get; init; } = [];

    /// <summary>These labels or groups never produce events.</summary>
    public IReadOnlyList<string> Deny { get; init; } = [];
}
