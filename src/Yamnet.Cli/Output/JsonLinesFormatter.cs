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
        BeginFile(file);
        if (file.Summary is { } s)
        {
            Line(() =>
            {
                _writer.WriteString("file", file.Path);
                _writer.WritePropertyName("summary");
                JsonSerializer.Serialize(_writer, _map.Summary(s), CliJsonContext.Default.SummaryDto);
            });
        }
        foreach (var w in file.Windows) WriteWindow(w);
        EndFile(file);
    }

    private string _path = "";

    public void BeginFile(FileResult file) => _path = file.Path;

    public void WriteWindow(WindowResult window)
    {
        Line(() =>
        {
            _writer.WriteString("file", _path);
            _writer.WriteNumber("index", window.Window.Index);
            _writer.WriteNumber("start_seconds", window.Window.StartSeconds);
            _writer.WriteNumber("end_seconds", window.Window.EndSeconds);
            _writer.WritePropertyName("classes");
            JsonSerializer.Serialize(_writer, _map.Classes(window.Classes), CliJsonContext.Default.ListClassDto);
        });
    }

    public void EndFile(FileResult file)
    {
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

    public void Flush() => output.Flush();

    public void End() => output.Flush();
}
