namespace Yamnet.Evaluation;

/// <summary>One metric family's results, named like sed_eval's: overall (micro average), class-wise, and their macro average.</summary>
public sealed record SedResult(SedMetrics Overall, IReadOnlyDictionary<string, SedMetrics> ClassWise, SedMetrics Macro);
