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
        // A per-input result file (--output-dir) starts with its run fingerprint, where a restart finds it.
        if (run.Fingerprint is { } fingerprint) _writer.WriteString("run_fingerprint", fingerprint);
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

    /// <summary>
    /// Writes the file object member by member, flushing every few windows, so that a long
    /// recording's output streams out instead of accumulating in the writer's buffer.
    /// </summary>
    public void WriteFile(FileResult file)
    {
        _writer.WriteStartObject();
        _writer.WriteString("file", file.Path);
        if (file.Format is { } f)
        {
            _writer.WritePropertyName("format");
            JsonSerializer.Serialize(_writer, new FormatDto
            {
                Container = f.Container,
                Codec = f.Codec,
                SampleRate = f.SampleRate,
                Channels = f.Channels,
                Frames = f.Frames,
                DurationSeconds = f.Duration.TotalSeconds,
            }, CliJsonContext.Default.FormatDto);
        }
        if (!file.Failed || file.Windows.Count > 0 || file.Summary is not null) // a partial result keeps its windows
        {
            if (file.Summary is { } s)
            {
                _writer.WritePropertyName("summary");
                JsonSerializer.Serialize(_writer, new SummaryDto
                {
                    Method = s.Method,
                    WindowCount = s.WindowCount,
                    StartSeconds = s.StartSeconds,
                    EndSeconds = s.EndSeconds,
                    Classes = Classes(s.Classes),
                }, CliJsonContext.Default.SummaryDto);
            }
            else
            {
                _writer.WritePropertyName("windows");
                _writer.WriteStartArray();
                int n = 0;
                foreach (var w in file.Windows)
                {
                    JsonSerializer.Serialize(_writer, new WindowDto
                    {
                        Index = w.Window.Index,
                        StartSeconds = w.Window.StartSeconds,
                        EndSeconds = w.Window.EndSeconds,
                        Classes = Classes(w.Classes),
                    }, CliJsonContext.Default.WindowDto);
                    if (++n % 64 == 0) _writer.Flush();
                }
                _writer.WriteEndArray();
            }
        }
        if (file.Error is { } error) _writer.WriteString("error", error);
        _writer.WriteEndObject();
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
[JsonSerializable(typeof(FormatDto))]
[JsonSerializable(typeof(WindowDto))]
[JsonSerializable(typeof(SummaryDto))]
[JsonSerializable(typeof(List<ClassDto>))]
public sealed partial class CliJsonContext : JsonSerializerContext;
