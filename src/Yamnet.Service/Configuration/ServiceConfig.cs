namespace Yamnet.Service.Configuration;

/// <summary>
/// Everything one listener process runs: the model, its sources, the level gate, event rules, saved
/// clips and outputs. Built from a config file (<see cref="ServiceConfigLoader"/>) and/or command-line
/// flags; <see cref="Validate"/> reports every problem with the path it has in the config file
/// (<c>outputs.mqtt.port: must be 1–65535</c>). docs/SERVICE.md documents the schema.
/// </summary>
public sealed class ServiceConfig
{
    /// <summary>The .tflite model (null: the CLI's default search).</summary>
    public string? Model { get; set; }

    /// <summary>An AudioSet class map CSV to use instead of the model's labels.</summary>
    public string? Labels { get; set; }

    /// <summary>Overlap of consecutive windows, strictly between 0 and 1 (hop = window × (1 − overlap)).</summary>
    public double Overlap { get; set; } = 0.5;

    /// <summary>Hop between windows in seconds (up to one window: hop = window gives non-overlapping windows); overrides <see cref="Overlap"/>.</summary>
    public double? HopSeconds { get; set; }

    /// <summary>The hop in samples for a model with this window and rate.</summary>
    public int HopSamples(int windowLength, int sampleRate)
        => HopSeconds is { } h ? (int)Math.Clamp(Math.Round(h * sampleRate, MidpointRounding.AwayFromZero), 1, windowLength)
            : Classification.FileAnalyzer.HopFor(windowLength, Overlap);

    public List<SourceConfig> Sources { get; set; } = [];

    /// <summary>Windows quieter than this (dBFS, RMS relative to a full-scale square wave) are not classified. Null: no gate.</summary>
    public double? MinLevelDbfs { get; set; }

    /// <summary>Seconds between level reports (MQTT <c>yamnet/&lt;source&gt;/level</c>).</summary>
    public double LevelIntervalSeconds { get; set; } = 10;

    public EventsConfig Events { get; set; } = new();

    /// <summary>Saved clips; null: none.</summary>
    public ClipsConfig? Clips { get; set; }

    public OutputsConfig Outputs { get; set; } = new();

    /// <summary>Every problem, one line each, prefixed with its config path. Empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Overlap > 0 && Overlap < 1)) errors.Add("overlap: must be strictly between 0 and 1");
        if (HopSeconds is { } hop && !(hop > 0 && double.IsFinite(hop))) errors.Add("hop: must be a positive number of seconds (at most one window)");
        if (Sources.Count == 0) errors.Add("sources: at least one source is needed");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Sources.Count; i++)
        {
            Sources[i].Validate($"sources[{i}]", errors);
            if (!string.IsNullOrEmpty(Sources[i].Name) && !names.Add(Sources[i].Name!))
                errors.Add($"sources[{i}].name: '{Sources[i].Name}' is used by another source (names must be unique: they are MQTT topics)");
        }
        if (MinLevelDbfs is { } level && !(level <= 0 && level >= -200)) errors.Add("min_level: must be a dBFS value between -200 and 0");
        if (!(LevelIntervalSeconds > 0 && double.IsFinite(LevelIntervalSeconds))) errors.Add("level_interval: must be a positive number of seconds");
        Events.Validate("events", errors);
        Clips?.Validate("clips", errors);
        Outputs.Validate("outputs", errors);
        return errors;
    }
}
