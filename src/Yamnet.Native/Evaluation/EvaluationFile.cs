namespace Yamnet.Evaluation;

/// <summary>One file's reference and estimated events, in list order.</summary>
public sealed record EvaluationFile(string Name, IReadOnlyList<AnnotatedEvent> Reference, IReadOnlyList<AnnotatedEvent> Estimated);
