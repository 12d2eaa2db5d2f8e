namespace Yamnet.Cli.Output;

/// <summary>A whole-file ranking in JSON (--summary).</summary>
public sealed class SummaryDto
{
    public string Method { get; set; } = "";
    public int WindowCount { get; set; }
    public double StartSeconds { get; set; }
    public double EndSeconds { get; set; }
    public List<ClassDto> Classes { get; set; } = [];
}
