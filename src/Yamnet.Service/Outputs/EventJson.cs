using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Yamnet.Service.Outputs;

/// <summary>
/// The JSON of an event, the same on stdout, MQTT and webhooks (snake_case, UTC times ISO 8601):
/// <c>{"source":"kitchen","type":"start","label":"Dog","index":69,"start":"2026-12-01T10:00:01.480Z",
/// "start_seconds":12.48,"peak":0.91,"mean":0.91,"detected":"…"}</c>; an end adds <c>end</c>,
/// <c>end_seconds</c>, <c>duration_seconds</c> and, with saved clips, <c>clip</c> (written
/// post-roll seconds later). Written with <see cref="Utf8JsonWriter"/>: no reflection (NativeAOT).
/// </summary>
public static class EventJson
{
    public static byte[] Serialize(ServiceEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("source", e.Source);
            w.WriteString("type", e.Kind == ServiceEventKind.Start ? "start" : "end");
            w.WriteString("label", e.Label);
            w.WriteNumber("index", e.Index);
            w.WriteString("start", Utc(e.StartUtc));
            w.WriteNumber("start_seconds", Math.Round(e.StartSeconds, 3));
            if (e.EndSeconds is { } end)
            {
                w.WriteString("end", Utc(e.EndUtc!.Value));
                w.WriteNumber("end_seconds", Math.Round(end, 3));
                w.WriteNumber("duration_seconds", Math.Round(end - e.StartSeconds, 3));
            }
            w.WriteNumber("peak", e.Peak);
            w.WriteNumber("mean", e.Mean);
            if (e.Clip is not null) w.WriteString("clip", e.Clip);
            w.WriteString("detected", Utc(e.DetectedUtc));
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A level report: <c>{"rms":0.0123,"dbfs":-38.2}</c>.</summary>
    public static byte[] Level(double rms, double dbfs)
        => System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"rms\":{Math.Round(rms, 6)},\"dbfs\":{Math.Round(dbfs, 1)}}}"));

    public static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
