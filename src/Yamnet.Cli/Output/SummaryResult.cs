using Yamnet.Classification;

namespace Yamnet.Cli.Output;

/// <summary>A whole-file ranking (--summary).</summary>
public sealed record SummaryResult(string Method, int WindowCount, double StartSeconds, double EndSeconds, ScoredClass[] Classes);
