using System.Text.Json;
using System.Text.Json.Serialization;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Cli.Output;

namespace Yamnet.Cli;

/// <summary>Writes one live result as soon as it is known, and flushes, so a reader sees it at once.</summary>
public interface IListenWriter
{
    void Begin();

    void Write(in AudioWindow window, ReadOnlySpan<ScoredClass> classes);
}

/// <summary>
/// text and csv reuse classify's formatters (a one-window <see cref="FileResult"/> per result): text
/// prints classify's <c>Window k [start - end]:</c> block, csv the same header and rows as classify
/// with the source name (<c>stdin</c>, <c>alsa:default</c>) in the file column.
/// </summary>
public sealed class FormatterListenWriter(IResultFormatter formatter, RunInfo run, string sourceName) : IListenWriter
{
    public void Begin() => formatter.Begin(run);

    public void Write(in AudioWindow window, ReadOnlySpan<ScoredClass> classes)
    {
        var file = new FileResult { Path = sourceName };
        file.Windows.Add(new WindowResult(window, classes.ToArray()));
        formatter.WriteFile(file);
    }
}

/// <summary>
/// JSON Lines: one object per window,
/// <c>{"window":0,"start_seconds":0,"end_seconds":0.975,"classes":[{"index":76,"label":"Cat","score":0.80078125}]}</c>
/// (each class also carries <c>"mid"</c> with a class map). Source-generated serialisation, no reflection;
/// scores are float32 values, which System.Text.Json writes as their shortest round-trip text.
/// </summary>
public sealed class JsonLinesListenWriter(Stream output, ClassLabels labels) : IListenWriter
{
    private readonly Utf8JsonWriter _writer = new(output);

    public void Begin()
    {
    }

    public void Write(in AudioWindow window, ReadOnlySpan<ScoredClass> classes)
    {
        var list = new List<ListenClassDto>(classes.Length);
        foreach (var c in classes)
            list.Add(new ListenClassDto { Index = c.Index, Label = labels.NameOf(c.Index), Mid = labels.MidOf(c.Index), Score = c.Score });
        var dto = new ListenWindowDto { Window = window.Index, StartSeconds = window.StartSeconds, EndSeconds = window.EndSeconds, Classes = list };
        _writer.Reset();
        JsonSerializer.Serialize(_writer, dto, ListenJsonContext.Default.ListenWindowDto);
        _writer.Flush();
        output.WriteByte((byte)'\n');
        output.Flush();
    }
}

public sealed class ListenWindowDto
{
    public int Window { get; set; }
    public double StartSeconds { get; set; }
    public double EndSeconds { get; set; }
    public List<ListenClassDto> Classes { get; set; } = [];
}

public sealed class ListenClassDto
{
    public int Index { get; set; }
    public string Label { get; set; } = "";
    public float Score { get; set; }
    public string? Mid { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ListenWindowDto))]
public sealed partial class ListenJsonContext : JsonSerializerContext;
