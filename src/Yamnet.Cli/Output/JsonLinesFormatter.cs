using System.Text.Json;
using Yamnet.Classification;

namespace Yamnet.Cli.Output;

/// <summary>
/// <c>--format jsonl</c>: one self-contained JSON object per line, so shards and runs concatenate and
/// a consumer can stream or <c>grep</c> them: a window
/// <c>{"file":..,"index":..,"start_seconds":..,"end_seconds":..,"classes":[{"index":..,"label":..,"score":..}]}</c>;
/// a summary <c>{"file":..,"summary":{...}}</c>; a failed file <c>{"file":..,"error":".."}</c>
/// (with the windows decoded before the failure on the lines above it). No header line.
/// </summary>
public sealed class JsonLinesFormatter(Stream output) : IResultFormatter
{
    private readonly Utf8JsonWriter _writer = new(output, new JsonWriterOptions { Indented = false });
    private JsonResultMapper _map = null!;

    public void Begin(RunInfo run) => _map = new JsonResultMapper(run.Labels);

    public void WriteFile(FileResult file)
    {
        if (file.Summary is { } s)
        {
            Line(() =>
            {
                _writer.WriteString("file", file.Path);
                _writer.WritePropertyName("summary");
                JsonSerializer.Serialize(_writer, _map.Summary(s), CliJsonContext.Default.SummaryDto);
            });
        }
        foreach (var w in file.Windows)
        {
            Line(() =>
            {
                _writer.WriteString("file", file.Path);
                _writer.WriteNumber("index", w.Window.Index);
                _writer.WriteNumber("start_seconds", w.Window.StartSeconds);
                _writer.WriteNumber("end_seconds", w.Window.EndSeconds);
                _writer.WritePropertyName("classes");
                JsonSerializer.Serialize(_writer, _map.Classes(w.Classes), CliJsonContext.Default.ListClassDto);
            });
        }
        if (file.Error is { } error)
        {
            Line(() =>
            {
                _writer.WriteString("file", file.Path);
                _writer.WriteString("error", error);
            });
        }
        output.Flush();
    }

    private void Line(Action body)
    {
        _writer.Reset(output);
        _writer.WriteStartObject();
        body();
        _writer.WriteEndObject();
        _writer.Flush();
        output.WriteByte((byte)'\n');
    }

    public void End() => output.Flush();
}
