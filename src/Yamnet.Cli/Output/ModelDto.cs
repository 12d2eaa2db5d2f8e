namespace Yamnet.Cli.Output;

/// <summary>The "model" object of a JSON document: what produced the results.</summary>
public sealed class ModelDto
{
    public string Path { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public string? Name { get; set; }
    public string Labels { get; set; } = "";
    public int SampleRate { get; set; }
    public string SampleRateSource { get; set; } = "";
    public int WindowLength { get; set; }
    public int ClassCount { get; set; }
    public string Delegate { get; set; } = "";
    public int Hop { get; set; }
    public string Mode { get; set; } = "";
}
