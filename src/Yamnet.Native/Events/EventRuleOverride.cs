using System.Globalization;

namespace Yamnet.Events;

/// <summary>
/// The fields of <see cref="EventRule"/> one label (a class label or a group name) sets differently
/// from the default rule; null fields keep the default. When <see cref="On"/> is given without
/// <see cref="Off"/>, off becomes min(on, the default off), so lowering one class's threshold never
/// makes its rule invalid.
/// </summary>
public sealed record EventRuleOverride(string Label, float? On = null, float? Off = null, double? MinDuration = null, double? MergeGap = null, int? Median = null)
{
    /// <summary>The complete rule for <see cref="Label"/>: <paramref name="defaults"/> with this override's fields.</summary>
    public EventRule ApplyTo(EventRule defaults)
    {
        float on = On ?? defaults.On;
        float off = Off ?? (On is { } o ? Math.Min(o, defaults.Off) : defaults.Off);
        return new EventRule(on, off, MinDuration ?? defaults.MinDuration, MergeGap ?? defaults.MergeGap, Median ?? defaults.Median);
    }

    /// <summary>
    /// Parses <c>LABEL=ON[:OFF]</c> (the CLI's <c>--class-threshold</c>). The label is everything
    /// before the last '=' (class labels contain commas, never '='), so <c>Hubbub, speech noise=0.4:0.2</c> works.
    /// </summary>
    /// <exception cref="FormatException">No '=', an empty label, or thresholds that are not numbers.</exception>
    public static EventRuleOverride ParseThreshold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int eq = text.LastIndexOf('=');
        if (eq <= 0 || eq == text.Length - 1) throw new FormatException($"'{text}': expected LABEL=ON or LABEL=ON:OFF");
        string label = text[..eq].Trim();
        if (label.Length == 0) throw new FormatException($"'{text}': the label is empty");
        string value = text[(eq + 1)..];
        int colon = value.IndexOf(':');
        float on = ParseScore(colon < 0 ? value : value[..colon], text);
        float? off = colon < 0 ? null : ParseScore(value[(colon + 1)..], text);
        return new EventRuleOverride(label, on, off);
    }

    internal static float ParseScore(string text, string context)
    {
        if (!float.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
            throw new FormatException($"'{context}': '{text.Trim()}' is not a threshold (a number from 0 to 1)");
        return value;
    }
}
