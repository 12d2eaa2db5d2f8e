namespace Yamnet.Cli.Output;

/// <summary>One window in JSON: its index, time range and ranked classes.</summary>
public sealed class WindowDto
{
    public int Index { get; set; }
    public double StartSeconds { get; set; }
    public double EndSeconds { get; set; }
    public List<ClassDto> Classes { get; set; } = [];
}
