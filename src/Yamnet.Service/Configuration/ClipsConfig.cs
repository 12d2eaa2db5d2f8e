namespace Yamnet.Service.Configuration;

/// <summary>Saved clips: each event's audio with pre- and post-roll.</summary>
public sealed class ClipsConfig
{
    public string Dir { get; set; } = "";

    public double PreSeconds { get; set; } = 2;

    public double PostSeconds { get; set; } = 2;

    /// <summary>flac or wav (16-bit PCM either way: the source samples exactly).</summary>
    public string Format { get; set; } = "flac";

    /// <summary>The longest event a clip holds in full (bounds the ring buffer); longer events keep their last part.</summary>
    public double MaxEventSeconds { get; set; } = 60;

    /// <summary>Total size of the clip directory's clips; the oldest are deleted first. Null: unbounded.</summary>
    public double? MaxMegabytes { get; set; }

    internal void Validate(string path, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(Dir)) errors.Add($"{path}.dir: is required");
        if (!(PreSeconds >= 0 && PreSeconds <= 600)) errors.Add($"{path}.pre: must be 0–600 seconds");
        if (!(PostSeconds >= 0 && PostSeconds <= 600)) errors.Add($"{path}.post: must be 0–600 seconds");
        if (Format is not ("flac" or "wav")) errors.Add($"{path}.format: must be flac or wav");
        if (!(MaxEventSeconds > 0 && MaxEventSeconds <= 3600)) errors.Add($"{path}.max_event_seconds: must be 0–3600 seconds");
        if (MaxMegabytes is { } mb && !(mb > 0 && double.IsFinite(mb))) errors.Add($"{path}.max_mb: must be a positive number of megabytes");
    }
}
