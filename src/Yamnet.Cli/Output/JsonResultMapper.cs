using Yamnet.Classification;

namespace Yamnet.Cli.Output;

/// <summary>
/// Turns results into the JSON DTOs, so the one-document (<c>json</c>) and line-per-record
/// (<c>jsonl</c>) formats describe a window, a summary and a class in exactly the same shape.
/// </summary>
internal sealed class JsonResultMapper(ClassLabels labels)
{
    public List<ClassDto> Classes(ScoredClass[] classes)
        => classes.Select(c => new ClassDto
        {
            Index = c.Index,
            Label = labels.NameOf(c.Index),
            Mid = labels.MidOf(c.Index),
            Score = c.Score,
        }).ToList();

    public SummaryDto Summary(SummaryResult s) => new()
    {
        Method = s.Method,
        WindowCount = s.WindowCount,
        StartSeconds = s.StartSeconds,
        EndSeconds = s.EndSeconds,
        Classes = Classes(s.Classes),
    };

    public WindowDto Window(WindowResult w) => new()
    {
        Index = w.Window.Index,
        StartSeconds = w.Window.StartSeconds,
        EndSeconds = w.Window.EndSeconds,
        Classes = Classes(w.Classes),
    };
}
