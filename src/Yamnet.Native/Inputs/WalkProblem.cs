namespace Yamnet.Inputs;

/// <summary>Something a directory walk could not take, with the reason on one line (reported; the walk goes on).</summary>
public readonly record struct WalkProblem(string Path, string Reason);
