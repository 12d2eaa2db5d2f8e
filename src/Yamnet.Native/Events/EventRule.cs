using System.Globalization;

namespace Yamnet.Events;

/// <summary>
/// How one class (or label group) turns scores into events: a double threshold (hysteresis), a
/// minimum duration, a merge gap and an optional median filter, as in the DCASE sound-event-detection
/// post-processing. YAMNet's scores are independent sigmoids, not calibrated across classes, so every
/// class may have its own rule (<see cref="EventRuleOverride"/>); this record is one complete rule.
/// </summary>
/// <param name="On">An event opens when the (filtered) score reaches this, in [0, 1].</param>
/// <param name="Off">An open event continues while the score stays at or above this (0 ≤ Off ≤ On).</param>
/// <param name="MinDuration">Events shorter than this many seconds (after merging) are dropped; 0 keeps all.</param>
/// <param name="MergeGap">Two events of the same class separated by at most this many seconds become one.</param>
/// <param name="Median">Odd window count k of the centred median filter applied before thresholding; 1 = none.</param>
public readonly record struct EventRule(float On, float Off, double MinDuration, double MergeGap, int Median)
{
    /// <summary>Largest median filter accepted: the filter delays results by (k − 1) / 2 windows.</summary>
    public const int MaxMedian = 101;

    /// <summary>On 0.5, off 0.3, no minimum duration, no merging, no median filter.</summary>
    public static EventRule Default { get; } = new(0.5f, 0.3f, 0, 0, 1);

    /// <summary>Checks every field; <paramref name="name"/> (a label, or "default") heads the message.</summary>
    /// <exception cref="ArgumentException">A threshold outside [0, 1], off above on, a negative or non-finite duration, an even median.</exception>
    public void Validate(string name)
    {
        var ic = CultureInfo.InvariantCulture;
        if (!(On >= 0f && On <= 1f)) throw new ArgumentException(string.Create(ic, $"{name}: on threshold {On} must be between 0 and 1"));
        if (!(Off >= 0f && Off <= 1f)) throw new ArgumentException(string.Create(ic, $"{name}: off threshold {Off} must be between 0 and 1"));
        if (Off > On) throw new ArgumentException(string.Create(ic, $"{name}: off threshold {Off} is above the on threshold {On} (hysteresis needs off <= on)"));
        if (!(MinDuration >= 0 && double.IsFinite(MinDuration))) throw new ArgumentException(string.Create(ic, $"{name}: minimum duration {MinDuration} must be a finite number of seconds >= 0"));
        if (!(MergeGap >= 0 && double.IsFinite(MergeGap))) throw new ArgumentException(string.Create(ic, $"{name}: merge gap {MergeGap} must be a finite number of seconds >= 0"));
        if (Median < 1 || Median % 2 == 0 || Median > MaxMedian) throw new ArgumentException(string.Create(ic, $"{name}: median filter length {Median} must be an odd number of windows from 1 to {MaxMedian}"));
    }
}
