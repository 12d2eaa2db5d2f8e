using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Cli.Output;
using Yamnet.Events;

namespace Yamnet.Cli;

/// <summary><c>listen --events</c>: the options (detect's event rules plus --stall-timeout) and what they build.</summary>
public sealed class ListenEventOptions
{
    public Option<bool> Events { get; } = new("--events") { Description = "Print sound events instead of window results: a line when an event opens and one when it closes (with duration, peak and mean), using detect's event options." };

    public Option<double> StallTimeout { get; } = new("--stall-timeout") { Description = "With --events: close open events when no audio has arrived for this many seconds (a stalled stream). Default 5.", DefaultValueFactory = _ => 5 };

    public EventOptions Rules { get; } = new();

    public void AddTo(Command command)
    {
        command.Options.Add(Events);
        command.Options.Add(StallTimeout);
        Rules.AddTo(command);
    }

    /// <summary>The event printer for this run, or null without --events (usage errors exit 2).</summary>
    public ListenEvents? Create(ParseResult parse, ResultSettings result, AudioClassifier classifier, int hop, string sourceName, Stream stdout)
    {
        if (!parse.GetValue(Events)) return null;
        double stall = parse.GetValue(StallTimeout);
        if (!(stall > 0 && double.IsFinite(stall))) throw new UsageException("--stall-timeout must be a positive number of seconds.");
        var options = Rules.Resolve(parse, result.Allow, result.Deny);
        EventOptions.CheckAgainst(options, classifier.Labels, classifier.WindowLength, hop, classifier.SampleRate);
        return new ListenEvents(options, classifier, hop, TimeSpan.FromSeconds(stall), sourceName, stdout, result.Format == "json" || result.Format == "jsonl");
    }
}

/// <summary>
/// Prints a live stream's events as they open and close, one line each (text, or JSON lines with
/// <c>"event":"open"|"close"</c>), flushed at once. A <see cref="StreamEventTracker"/> closes open
/// events after a stall; <see cref="Flush"/> closes them at the end of input or on a signal.
/// </summary>
public sealed class ListenEvents : ISoundEventSink, IDisposable
{
    private readonly StreamEventTracker _tracker;
    private readonly Stream _output;
    private readonly bool _json;
    private readonly string _source;
    private string _reason = "silence";

    public ListenEvents(EventDetectorOptions options, AudioClassifier classifier, int hop, TimeSpan stallTimeout, string sourceName, Stream output, bool json)
    {
        _output = output;
        _json = json;
        _source = sourceName;
        var detector = new EventDetector(options, classifier.Labels, new EventTimeline(classifier.WindowLength, hop, classifier.SampleRate), this);
        _tracker = new StreamEventTracker(detector, stallTimeout) { Stalling = () => _reason = "stall", Stalled = () => _reason = "silence" };
    }

    public void Push(in AudioWindow window, ReadOnlySpan<float> scores) => _tracker.Push(window, scores);

    /// <summary>Closes what is open at <paramref name="endSeconds"/> of stream time, for <paramref name="reason"/> ("end of input", "signal").</summary>
    public void Flush(double endSeconds, string reason)
    {
        _reason = reason;
        _tracker.Flush(endSeconds);
    }

    public void Opened(in SoundEvent e) => Write(e, "open");

    public void Closed(in SoundEvent e) => Write(e, "close");

    private void Write(in SoundEvent e, string kind)
    {
        var ic = CultureInfo.InvariantCulture;
        if (_json)
        {
            using (var j = new Utf8JsonWriter(_output))
            {
                j.WriteStartObject();
                j.WriteString("event", kind);
                j.WriteNumber("id", e.Id);
                j.WriteString("source", _source);
                EventWriter.WriteEventMembers(j, e);
                if (kind == "close")
                {
                    j.WriteNumber("duration_seconds", Math.Round(e.DurationSeconds, 6));
                    j.WriteString("reason", _reason);
                }
                j.WriteEndObject();
            }
            _output.WriteByte((byte)'\n');
        }
        else
        {
            string what = e.IsGroup ? e.Label + " (group)" : $"{e.Label} [{e.ClassIndex}]";
            string line = kind == "open"
                ? string.Create(ic, $"open  #{e.Id} {what} at {EventWriter.Time(e.StartSeconds)} s (peak {EventWriter.Score(e.Peak)})\n")
                : string.Create(ic, $"close #{e.Id} {what} {EventWriter.Time(e.StartSeconds)}-{EventWriter.Time(e.EndSeconds)} s ({EventWriter.Time(e.DurationSeconds)} s, peak {EventWriter.Score(e.Peak)}, mean {EventWriter.Score(e.Mean)}; {_reason})\n");
            _output.Write(System.Text.Encoding.UTF8.GetBytes(line));
        }
        _output.Flush();
    }

    public void Dispose() => _tracker.Dispose();
}
