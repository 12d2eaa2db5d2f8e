namespace Yamnet.Cli.Output;

/// <summary>The "format" object of a file: the source container, codec, rate and length.</summary>
public sealed class FormatDto
{
    public string Container { get; set; } = "";
    public string Codec { get; set; } = "";
    public int SampleRate { get; set; }
    public int Channels { get; set; }
    public long Frames { get; set; }
    public double DurationSeconds { get; set; }
}
