namespace Yamnet.Events;

/// <summary>
/// One detected event: a class or label group present from <see cref="StartSeconds"/> to
/// <see cref="EndSeconds"/> (stream time, see <see cref="EventTimeline"/>). Reported twice by an
/// <see cref="EventDetector"/>: when it opens (<see cref="IsOpen"/> true; end, peak and mean so far)
/// and when it closes (final values), with the same <see cref="Id"/>.
/// </summary>
/// <param name="Id">Sequence number of the event within its detector, from 0.</param>
/// <param name="Label">The class label or the group name.</param>
/// <param name="ClassIndex">The class index; -1 for a group.</param>
/// <param name="IsGroup">True when <see cref="Label"/> names a <see cref="LabelGroup"/>.</param>
/// <param name="StartSeconds">Start of the event.</param>
/// <param name="EndSeconds">End of the event (so far, while open).</param>
/// <param name="Peak">Highest score over the event's windows (the model's score, before the median filter; a group's is the max of its members).</param>
/// <param name="Mean">Mean of those scores over the event's windows (merged gaps included).</param>
/// <param name="IsOpen">True in the opening report, false in the closing one.</param>
public readonly record struct SoundEvent(long Id, string Label, int ClassIndex, bool IsGroup, double StartSeconds, double EndSeconds, float Peak, float Mean, bool IsOpen)
{
    public double DurationSeconds => EndSeconds - StartSeconds;
}
