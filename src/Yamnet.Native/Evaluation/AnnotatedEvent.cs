namespace Yamnet.Evaluation;

/// <summary>One event of a DCASE event list: a label active in a file from onset to offset (seconds).</summary>
public readonly record struct AnnotatedEvent(string Filename, double Onset, double Offset, string Label);
