using System.Globalization;
using System.Text.Json;
using Yamnet.Classification;
using Yamnet.Events;

namespace Yamnet.Cli.Output;

/// <summary>
/// Writes <c>yamnet detect</c> results in one format: text (a line per event under a line per file),
/// json (one document), jsonl (a line per event), csv (<c>file,label,index,start_seconds,end_seconds,peak,mean</c>),
/// audacity (label track), raven (selection table) or dcase (<c>filename⇥onset⇥offset⇥event_label</c>, what <c>yamnet eval</c> reads). Audacity and Raven describe one recording,
/// so on stdout several files are written one after the other (Raven: one header per file).
/// </summary>
public sealed class EventWriter(Stream output, string format, int sampleRate, string? fingerprint = null)
{
    public static readonly string[] Formats = ["text", "json", "jsonl", "csv", "audacity", "raven", "dcase"];

    private readonly StreamWriter _text = new(output, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
    private Utf8JsonWriter? _json;
    private static readonly CultureInfo Ic = CultureInfo.InvariantCulture;

    /// <summary>File-name suffix for --output-dir, and whether the format carries the run stamp itself (json) or in a sidecar.</summary>
    public static (string Suffix, bool Sidecar) Layout(string format) => format switch
    {
        "json" => (".events.json", false),
        "jsonl" => (".events.jsonl", true),
        "csv" => (".events.csv", true),
        "audacity" => (".labels.txt", true),
        "raven" => (".selections.txt", true),
        "dcase" => (".events.tsv", true),
        _ => (".events.txt", true),
    };

    public void Begin(RunDescription run)
    {
        switch (format)
        {
            case "json":
                _json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
                _json.WriteStartObject();
                if (fingerprint is not null) _json.WriteString("run_fingerprint", fingerprint);
                _json.WriteString("model", run.ModelPath);
                _json.WriteString("model_sha256", run.Sha256);
                _json.WriteNumber("sample_rate", run.SampleRate);
                _json.WriteNumber("window_samples", run.WindowLength);
                _json.WriteNumber("hop_samples", run.Hop);
                _json.WriteString("time_convention", "window k stands for its central hop; the first and last windows extend to the start and end of the audio");
                _json.WriteStartArray("files");
                break;
            case "csv":
                _text.Write("file,label,index,start_seconds,end_seconds,peak,mean\n");
                break;
        }
    }

    public void WriteFile(EventFileResult file)
    {
        switch (format)
        {
            case "json":
                var j = _json!;
                j.WriteStartObject();
                j.WriteString("file", file.Path);
                if (file.Error is not null) j.WriteString("error", file.Error);
                if (file.Error is null || file.Interrupted)
                {
                    j.WriteNumber("duration_seconds", Math.Round(file.DurationSeconds, 6));
                    j.WriteNumber("windows", file.Windows);
                    j.WriteStartArray("events");
                    foreach (var e in file.Events)
                    {
                        j.WriteStartObject();
                        WriteEventMembers(j, e);
                        j.WriteEndObject();
                    }
                    j.WriteEndArray();
                }
                j.WriteEndObject();
                j.Flush();
                break;
            case "jsonl":
                if (file.Error is not null)
                {
                    JsonLine(j2 => { j2.WriteString("file", file.Path); j2.WriteString("error", file.Error); });
                }
                foreach (var e in file.Events) JsonLine(j2 => { j2.WriteString("file", file.Path); WriteEventMembers(j2, e); });
                break;
            case "csv":
                foreach (var e in file.Events)
                    _text.Write(string.Create(Ic, $"{Csv.Escape(file.Path)},{Csv.Escape(e.Label)},{e.ClassIndex},{Yamnet.Evaluation.DcaseEventList.Time(e.StartSeconds)},{Yamnet.Evaluation.DcaseEventList.Time(e.EndSeconds)},{Score(e.Peak)},{Score(e.Mean)}\n"));
                break;
            case "audacity":
                if (!file.Failed || file.Interrupted) AudacityLabelTrack.Write(_text, file.Events);
                break;
            case "raven":
                if (!file.Failed || file.Interrupted) RavenSelectionTable.Write(_text, file.Path, file.Events, sampleRate);
                break;
            case "dcase":
                Yamnet.Evaluation.DcaseEventList.Write(_text, file.Events.Select(e => new Yamnet.Evaluation.AnnotatedEvent(file.Path, e.StartSeconds, e.EndSeconds, e.Label)));
                break;
            default:
                if (file.Failed && !file.Interrupted) break;
                _text.Write(string.Create(Ic, $"{file.Path}: {file.Events.Count} event{(file.Events.Count == 1 ? "" : "s")} in {Time(file.DurationSeconds)} s\n"));
                foreach (var e in file.Events) _text.Write(TextLine(e) + "\n");
                break;
        }
        _text.Flush();
    }

    public void End()
    {
        if (_json is { } j)
        {
            j.WriteEndArray();
            j.WriteEndObject();
            j.Flush();
            output.WriteByte((byte)'\n');
        }
        _text.Flush();
        output.Flush();
    }

    /// <summary>One event as text: <c>  12.400-15.900 s  Dog [70]  peak 0.91  mean 0.74</c>.</summary>
    public static string TextLine(in SoundEvent e)
        => string.Create(Ic, $"  {Time(e.StartSeconds)}-{Time(e.EndSeconds)} s  {e.Label}{(e.IsGroup ? " (group)" : $" [{e.ClassIndex}]")}  peak {Score(e.Peak)}  mean {Score(e.Mean)}");

    /// <summary>The members every JSON event has (also used by <c>listen --events</c>).</summary>
    public static void WriteEventMembers(Utf8JsonWriter j, in SoundEvent e)
    {
        j.WriteString("label", e.Label);
        j.WriteNumber("index", e.ClassIndex);
        if (e.IsGroup) j.WriteBoolean("group", true);
        j.WriteNumber("start_seconds", Math.Round(e.StartSeconds, 6));
        j.WriteNumber("end_seconds", Math.Round(e.EndSeconds, 6));
        j.WriteNumber("peak", e.Peak);
        j.WriteNumber("mean", e.Mean);
    }

    public static string Time(double seconds) => seconds.ToString("0.000", Ic);

    public static string Score(float score) => score.ToString(Ic);

    private void JsonLine(Action<Utf8JsonWriter> members)
    {
        _text.Flush();
        using (var j = new Utf8JsonWriter(output))
        {
            j.WriteStartObject();
            members(j);
            j.WriteEndObject();
        }
        output.WriteByte((byte)'\n');
    }
}

/// <summary>What the event formats say about the run.</summary>
public sealed record RunDescription(string ModelPath, string Sha256, int SampleRate, int WindowLength, int Hop);
