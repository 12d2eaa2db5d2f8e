using System.Text.Json;
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
    private JsonResultMapper _map = null!;

    public void Begin(RunInfo run)
    {
        _map = new JsonResultMapper(run.Labels);
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
        BeginFile(file);
        if (!file.Failed || file.Windows.Count > 0 || file.Summary is not null) // a partial result keeps its windows
        {
            if (file.Summary is { } s)
            {
                _writer.WritePropertyName("summary");
                JsonSerializer.Serialize(_writer, _map.Summary(s), CliJsonContext.Default.SummaryDto);
            }
            else
            {
                OpenWindows();
                foreach (var w in file.Windows) WriteWindow(w);
            }
        }
        EndFile(file);
    }

    private bool _windowsOpen;
    private int _windowsWritten;

    public void BeginFile(FileResult file)
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
    }

    public void WriteWindow(WindowResult window)
    {
        OpenWindows();
        JsonSerializer.Serialize(_writer, _map.Window(window), CliJsonContext.Default.WindowDto);
        if (++_windowsWritten % 64 == 0) _writer.Flush();
    }

    public void EndFile(FileResult file)
    {
        if (_windowsOpen)
        {
            _writer.WriteEndArray();
            _windowsOpen = false;
            _windowsWritten = 0;
        }
        if (file.Error is { } error) _writer.WriteString("error", error);
        _writer.WriteEndObject();
        _writer.Flush();
    }

    private void OpenWindows()
    {
        if (_windowsOpen) return;
        _writer.WritePropertyName("windows");
        _writer.WriteStartArray();
        _windowsOpen = true;
    }

    public void Flush()
    {
        _writer.Flush();
        output.Flush();
    }

    public void End()
    {
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
        output.WriteByte((byte)'\n');
        output.Flush();
    }
}
