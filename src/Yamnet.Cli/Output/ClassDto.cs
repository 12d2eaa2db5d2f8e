namespace Yamnet.Cli.Output;

/// <summary>One ranked class in JSON: index, label, AudioSet mid and score.</summary>
public sealed class ClassDto
{
    public int Index { get; set; }
    public string Label { get; set; } = "";
    public string? Mid { get; set; }
    public float Score { get; set; }
}
