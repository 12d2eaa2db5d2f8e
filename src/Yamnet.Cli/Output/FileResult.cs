using Yamnet.Audio;

namespace Yamnet.Cli.Output;

/// <summary>The outcome of one input: windows (or a summary), or an error.</summary>
public sealed class FileResult
{
    public required string Path { get; init; }

    public AudioFormatInfo? Format { get; init; }

    public List<WindowResult> Windows { get; } = [];

    public SummaryResult? Summary { get; set; }

    public string? Error { get; init; }

    public bool Failed => Error is not null;
}
