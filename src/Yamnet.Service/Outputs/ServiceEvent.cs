namespace Yamnet.Service.Outputs;

/// <summary>Whether an event just started or just ended.</summary>
public enum ServiceEventKind
{
    Start,
    End,
}

/// <summary>
/// One event as the outputs publish it: a start (when the event opens) and an end (when it closes,
/// with its duration, peak and mean). Stream times count from the start of the source's current run
/// (a restarted stream starts again at 0); UTC times are the wall clock of the first sample of that
/// run plus the stream time. <see cref="DetectedUtc"/> is when the window that decided it was
/// handed to the model, the start of the latency measured in docs/SERVICE.md.
/// </summary>
public sealed record ServiceEvent(
    string Source,
    ServiceEventKind Kind,
    string Label,
    int Index,
    double StartSeconds,
    double? EndSeconds,
    DateTimeOffset StartUtc,
    DateTimeOffset? EndUtc,
    float Peak,
    float Mean,
    string? Clip,
    DateTimeOffset DetectedUtc)
{
    public double? DurationSeconds => EndSeconds - StartSeconds;
}
