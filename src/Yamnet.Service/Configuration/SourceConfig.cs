namespace Yamnet.Service.Configuration;

/// <summary>
/// One audio source. <see cref="Input"/> is <c>-</c> (standard input: raw S16LE at
/// <see cref="Rate"/>/<see cref="Channels"/>, or WAV), <c>alsa:NAME</c> (a capture device), or a URL
/// (<c>rtsp://</c>, <c>http(s)://</c>, ...) or path read through a supervised ffmpeg.
/// </summary>
public sealed class SourceConfig
{
    /// <summary>The source's name in topics, logs and clip names (default: derived from the input).</summary>
    public string? Name { get; set; }

    public string Input { get; set; } = "";

    /// <summary>Raw standard input's rate in Hz.</summary>
    public int Rate { get; set; } = 16000;

    /// <summary>Raw standard input's channel count (averaged to mono).</summary>
    public int Channels { get; set; } = 1;

    /// <summary>drop (real time, the default for devices and streams) or block (nothing lost, the default for stdin).</summary>
    public string? Overflow { get; set; }

    /// <summary>Windows that may wait for inference.</summary>
    public int Queue { get; set; } = 4;

    /// <summary>ffmpeg sources: restart ffmpeg when it delivers no audio for this long.</summary>
    public double StallSeconds { get; set; } = 10;

    /// <summary>First wait before a failed source is restarted; doubled per failure up to <see cref="RestartMaxSeconds"/>.</summary>
    public double RestartInitialSeconds { get; set; } = 1;

    public double RestartMaxSeconds { get; set; } = 60;

    /// <summary>The ffmpeg binary (default: <c>ffmpeg</c> on PATH).</summary>
    public string Ffmpeg { get; set; } = "ffmpeg";

    /// <summary>Stop after this many seconds of audio (tests, one-off runs). Null: run until stopped.</summary>
    public double? DurationSeconds { get; set; }

    public SourceKind Kind => Input switch
    {
        "-" => SourceKind.Stdin,
        _ when Input.StartsWith("alsa:", StringComparison.Ordinal) => SourceKind.Alsa,
        _ => SourceKind.Ffmpeg,
    };

    /// <summary>The name to use: the configured one, else one derived from the input.</summary>
    public string EffectiveName => !string.IsNullOrEmpty(Name) ? Name! : Kind switch
    {
        SourceKind.Stdin => "stdin",
        SourceKind.Alsa => Sanitize(Input["alsa:".Length..]),
        _ => Sanitize(Path.GetFileNameWithoutExtension(new Uri(Input, UriKind.RelativeOrAbsolute) is { IsAbsoluteUri: true } u && u.Scheme != "file" ? u.Host : Input)),
    };

    /// <summary>Replaces what MQTT topics and file names cannot hold (/, +, #, spaces) with '_'.</summary>
    public static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '-' or '_' or '.')) chars[i] = '_';
        return chars.Length == 0 ? "source" : new string(chars);
    }

    internal void Validate(string path, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(Input)) errors.Add($"{path}.input: is required ('-', 'alsa:NAME', a URL or a path)");
        if (Name is not null && (Name.Length == 0 || Sanitize(Name) != Name))
            errors.Add($"{path}.name: '{Name}' may hold only letters, digits, '-', '_' and '.' (it is an MQTT topic level)");
        if (Rate is < 1 or > 1_000_000) errors.Add($"{path}.rate: must be 1–1000000 Hz");
        if (Channels is < 1 or > 64) errors.Add($"{path}.channels: must be 1–64");
        if (Overflow is not (null or "drop" or "block")) errors.Add($"{path}.overflow: must be drop or block");
        if (Queue < 1) errors.Add($"{path}.queue: must be at least 1");
        if (!(StallSeconds > 0 && double.IsFinite(StallSeconds))) errors.Add($"{path}.stall_seconds: must be a positive number of seconds");
        if (!(RestartInitialSeconds > 0 && double.IsFinite(RestartInitialSeconds))) errors.Add($"{path}.restart_initial_seconds: must be a positive number of seconds");
        if (!(RestartMaxSeconds >= RestartInitialSeconds && double.IsFinite(RestartMaxSeconds))) errors.Add($"{path}.restart_max_seconds: must be at least restart_initial_seconds");
        if (string.IsNullOrWhiteSpace(Ffmpeg)) errors.Add($"{path}.ffmpeg: must name the ffmpeg binary");
        if (DurationSeconds is { } d && !(d > 0 && double.IsFinite(d))) errors.Add($"{path}.duration: must be a positive number of seconds");
    }
}

/// <summary>How a source is read.</summary>
public enum SourceKind
{
    Stdin,
    Alsa,
    Ffmpeg,
}
