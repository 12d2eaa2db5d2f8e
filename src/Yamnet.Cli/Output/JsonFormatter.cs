using System.Text.Json;
using System.Text.Json.Serialization;
using Yamnet.Classification;

namespace Yamnet.Cli.Output;

/// <summary>
/// One JSON document per run, streamed file by file:
/// <c>{"model":{...},"files":[{"file":..,"format":{..},"windows":[{"index":..,"start_seconds":..,"end_seconds":..,"classes":[{"index":..,"label":..,"score":..}]}]}]}</c>.
/// A summary run has <c>"summary":{...}</c> instead of <c>"windows"</c>; a failed file has <c>"error"</c>.
/// Scores are JSON numbers that round-trip to the exact float32. Source-generated (no reflection).
/// </summary>
public sealed class JsonFormatter(Stream output) : IResultFormatter
{
    private readonly Utf8JsonWriter _writer = new(output, new JsonWriterOptions { Indented = true });
    private RunInfo _run = null!;

    public void Begin(RunInfo run)
    {
        _run = run;
        _writer.WriteStartObject();
        _writer.WritePropertyName("model");
        JsonSerializer.Serialize(_writer, new ModelDto
        {
            Path = run.ModelPath,
            Sha256 = run.Sha256,
            Name = run.KnownName,
            Labels = run.Labels.Source,
            SampleRate = run.SampleRate,
            SampleRateSource = run.SampleRateSource,
            WindowLength = run.WindowLength,
            ClassCount = run.ClassCount,
            Delegate = run.Delegate,
            Hop = run.Hop,
            Mode = run.Mode,
        }, CliJsonContext.Default.ModelDto);
        _writer.WritePropertyName("files");
        _writer.WriteStartArray();
        _writer.Flush();
    }

    public void WriteFile(FileResult file)
    {
        var dto = new FileDto { File = file.Path, Error = file.Error };
        if (file.Format is { } f)
        {
            dto.Format = new FormatDto
            {
                Container = f.Container,
                Codec = f.Codec,
                SampleRate = f.SampleRate,
                Channels = f.Channels,
                Frames = f.Frames,
                DurationSeconds = f.Duration.TotalSeconds,
            };
        }
        if (!file.Failed)
        {
            if (file.Summary is { } s)
            {
                dto.Summary = new SummaryDto
                {
                    Method = s.Method,
                    WindowCount = s.WindowCount,
                    StartSeconds = s.StartSeconds,
                    EndSeconds = s.EndSeconds,
                    Classes = Classes(s.Classes),
                };
            }
            else
            {
                dto.Windows = file.Windows.Select(w => new WindowDto
                {
                    Index = w.Window.Index,
                    StartSeconds = w.Window.StartSeconds,
                    EndSeconds = w.Window.EndSeconds,
                    Classes = Classes(w.Classes),
                }).ToList();
            }
        }
        JsonSerializer.Serialize(_writer, dto, CliJsonContext.Default.FileDto);
        _writer.Flush();
    }

    private List<ClassDto> Classes(ScoredClass[] classes)
        => classes.Select(c => new ClassDto
        {
            Index = c.Index,
            Label = _run.Labels.NameOf(c.Index),
            Mid = _run.Labels.MidOf(c.Index),
            Score = c.Score,
        }).ToList();

    public void End()
    {
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
        output.WriteByte((byte)'\n');
        output.Flush();
    }
}

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

public sealed class FileDto
{
    public string File { get; set; } = "";
    public FormatDto? Format { get; set; }
    public List<WindowDto>? Windows { get; set; }
    public SummaryDto? Summary { get; set; }
    public string? Error { get; set; }
}

public sealed class FormatDto
{
    public string Container { get; set; } = "";
    public string Codec { get; set; } = "";
    public int SampleRate { get; set; }
    public int Channels { get; set; }
    public long Frames { get; set; }
    public double DurationSeconds { get; set; }
}

public sealed class WindowDto
{
    public int Index { get; set; }
    public double StartSeconds { get; set; }
    public double EndSeconds { get; set; }
    public List<ClassDto> Classes { get; set; } = [];
}

public sealed class SummaryDto
{
    public string Method { get; set; } = "";
    public int WindowCount { get; set; }
    public double StartSeconds { get; set; }
    public double EndSeconds { get; set; }
    public List<ClassDto> Classes { get; set; } = [];
}

public sealed class ClassDto
{
    public int Index { get; set; }
    public string Label { get; set; } = "";
    public string? Mid { get; set; }
    public float Score { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelDto))]
[JsonSerializable(typeof(FileDto))]
public sealed partial class CliJsonContext : JsonSerializerContext;
