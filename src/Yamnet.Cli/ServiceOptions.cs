using System.CommandLine;
using System.Runtime.InteropServices;
using Yamnet.Service.Configuration;
using Yamnet.Service.Hosting;

namespace Yamnet.Cli;

/// <summary>
/// The options that make <c>yamnet listen</c> an unattended service (src/Yamnet.Service): a config
/// file, MQTT, a webhook, the level gate, saved clips, a source name, event rules. Any of them (or an
/// --input that is a URL) switches listen from printing windows to publishing events. Flags override
/// the config file; --input/--device replace its sources with one. This class only maps options to a
/// <see cref="ServiceConfig"/>; all behaviour is in the service library.
/// </summary>
public sealed class ServiceOptions
{
    public Option<string?> Config { get; } = new("--config") { Description = "A YAML or JSON service config (sources, model, events, level gate, clips, outputs; docs/SERVICE.md). Flags override it." };

    public Option<string?> Mqtt { get; } = new("--mqtt") { Description = "Publish to an MQTT broker: mqtt://[user@]host[:port] or mqtts:// (TLS). Events, ON/OFF states, level, availability, Home Assistant discovery." };

    public Option<string?> MqttPasswordFile { get; } = new("--mqtt-password-file") { Description = "File whose first line is the MQTT password (or set $YAMNET_MQTT_PASSWORD). Never printed." };

    public Option<string?> MqttCa { get; } = new("--mqtt-ca") { Description = "With mqtts://: a PEM CA certificate to trust for the broker (a private CA); default: the system's store." };

    public Option<string?> Webhook { get; } = new("--webhook") { Description = "POST each event's JSON to this http(s) URL (retried with backoff)." };

    public Option<string?> Name { get; } = new("--name") { Description = "The source's name in topics, logs and clip names (default: derived from the input)." };

    public Option<double?> MinLevel { get; } = new("--min-level") { Description = "Level gate: windows quieter than this many dBFS (e.g. -60) are not classified." };

    public Option<double?> LevelInterval { get; } = new("--level-interval") { Description = "Seconds between level reports (default 10)." };

    public Option<string?> SaveClips { get; } = new("--save-clips") { Description = "Save each event's audio (with --pre/--post seconds around it) in this directory." };

    public Option<double?> Pre { get; } = new("--pre") { Description = "Seconds of audio kept before an event in its clip (default 2)." };

    public Option<double?> Post { get; } = new("--post") { Description = "Seconds of audio kept after an event in its clip (default 2)." };

    public Option<double?> ClipsMaxMb { get; } = new("--clips-max-mb") { Description = "Keep the clip directory under this many MB, deleting the oldest clips first." };

    public Option<string?> ClipFormat { get; } = new("--clip-format") { Description = "flac (default) or wav." };

    public Option<double?> Threshold { get; } = new("--event-threshold") { Description = "Score at which an event opens (default 0.5); --allow names the watched labels." };

    public void AddTo(Command command)
    {
        foreach (var o in (Option[])[Config, Mqtt, MqttPasswordFile, MqttCa, Webhook, Name, MinLevel, LevelInterval, SaveClips, Pre, Post, ClipsMaxMb, ClipFormat, Threshold])
            command.Options.Add(o);
    }

    /// <summary>An option's value only when given on the command line (a default must not override the config file).</summary>
    public static T? Given<T>(ParseResult parse, Option<T> option) where T : struct
        => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;

    /// <summary>True when the run is a service run: a service option was given, or the input is a URL.</summary>
    public bool IsRequested(ParseResult parse, string? input)
        => (input?.Contains("://", StringComparison.Ordinal) ?? false)
           || ((Option[])[Config, Mqtt, MqttPasswordFile, MqttCa, Webhook, Name, MinLevel, LevelInterval, SaveClips, Pre, Post, ClipsMaxMb, ClipFormat, Threshold])
               .Any(o => parse.GetResult(o) is { Implicit: false });

    /// <summary>The config file (if any) with the flags applied; throws <see cref="ServiceConfigException"/> with every problem.</summary>
    public ServiceConfig BuildConfig(ParseResult parse, ListenFlags flags, ServiceEventFlags? eventFlags = null)
    {
        var config = parse.GetValue(Config) is { } file ? ServiceConfigLoader.Load(file, validate: false) : new ServiceConfig();
        var errors = new List<string>();
        if (flags.Input is not null || flags.Device is not null || config.Sources.Count == 0)
        {
            config.Sources = [new SourceConfig { Input = flags.Device is not null ? "alsa:" + flags.Device : flags.Input ?? "alsa:default" }];
        }
        foreach (var s in config.Sources)
        {
            if (flags.Rate is { } r) s.Rate = r;
            if (flags.Channels is { } c) s.Channels = c;
            if (flags.Overflow is { } o) s.Overflow = o;
            if (flags.Queue is { } q) s.Queue = q;
            if (flags.DurationSeconds is { } d) s.DurationSeconds = d;
        }
        if (parse.GetValue(Name) is { } name)
        {
            if (config.Sources.Count > 1) errors.Add("--name: the config has several sources; name them in the file");
            else config.Sources[0].Name = name;
        }
        if (flags.Overlap is { } overlap) config.Overlap = overlap;
        if (flags.Allow is { Length: > 0 } allow) config.Events.Labels = [.. allow];
        eventFlags?.ApplyTo(parse, config, errors);
        if (parse.GetValue(Threshold) is { } t) config.Events.Threshold = t;
        if (parse.GetValue(MinLevel) is { } gate) config.MinLevelDbfs = gate;
        if (parse.GetValue(LevelInterval) is { } every) config.LevelIntervalSeconds = every;
        if (parse.GetValue(SaveClips) is { } dir) (config.Clips ??= new ClipsConfig()).Dir = Path.GetFullPath(dir);
        if (parse.GetValue(Pre) is { } pre) Clips("--pre").PreSeconds = pre;
        if (parse.GetValue(Post) is { } post) Clips("--post").PostSeconds = post;
        if (parse.GetValue(ClipsMaxMb) is { } mb) Clips("--clips-max-mb").MaxMegabytes = mb;
        if (parse.GetValue(ClipFormat) is { } fmt) Clips("--clip-format").Format = fmt.ToLowerInvariant();
        if (parse.GetValue(Mqtt) is { } url) config.Outputs.Mqtt = MqttConfig.FromUrl(url, errors, "--mqtt");
        if (parse.GetValue(MqttPasswordFile) is { } pw)
        {
            if (config.Outputs.Mqtt is null) errors.Add("--mqtt-password-file: needs --mqtt (or outputs.mqtt in the config)");
            else config.Outputs.Mqtt.PasswordFile = Path.GetFullPath(pw);
        }
        else if (config.Outputs.Mqtt is { PasswordFile: null, PasswordEnv: null, Username: not null } m && Environment.GetEnvironmentVariable("YAMNET_MQTT_PASSWORD") is not null)
        {
            m.PasswordEnv = "YAMNET_MQTT_PASSWORD";
        }
        if (parse.GetValue(MqttCa) is { } ca)
        {
            if (config.Outputs.Mqtt is null) errors.Add("--mqtt-ca: needs --mqtt (or outputs.mqtt in the config)");
            else config.Outputs.Mqtt.CaFile = Path.GetFullPath(ca);
        }
        if (parse.GetValue(Webhook) is { } hook) config.Outputs.Webhook = new WebhookConfig { Url = hook };
        errors.AddRange(config.Validate());
        if (errors.Count > 0) throw new ServiceConfigException(errors);
        return config;

        ClipsConfig Clips(string flag)
        {
            if (config.Clips is null) errors.Add($"{flag}: needs --save-clips DIR (or clips.dir in the config)");
            return config.Clips ?? new ClipsConfig();
        }
    }

    /// <summary>listen's service run: config (exit 2 listing every error), model, then <see cref="Run"/>.</summary>
    public int Execute(ParseResult parse, CommonOptions common, ListenFlags flags, ServiceEventFlags? eventFlags = null)
    {
        try
        {
            var config = BuildConfig(parse, flags, eventFlags);
            using var classifier = common.LoadClassifier(parse, parse.GetValue(common.Model) ?? config.Model, labelsOverride: config.Labels);
            eventFlags?.ApplyHop(config, classifier.WindowLength, classifier.SampleRate);
            return Run(config, classifier);
        }
        catch (ServiceConfigException e)
        {
            foreach (string error in e.Errors) CliHost.Error(CliHost.OneLine(error));
            return ExitCodes.Usage;
        }
    }

    /// <summary>Runs the service until SIGTERM/SIGINT or the end of its inputs; returns the exit code.</summary>
    public static int Run(ServiceConfig config, Classification.AudioClassifier classifier)
    {
        var log = new ServiceLog(Console.Error);
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // wind down: close events, flush outputs, exit 0
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var systemd = new SystemdNotifier();
        using var stdout = Console.OpenStandardOutput();
        return ListenerHost.Run(config, classifier, log, stdout, stop.Token, systemd);
    }
}

/// <summary>listen's own flags that a service run also takes (null: not given).</summary>
public sealed record ListenFlags(string? Input, string? Device, int? Rate, int? Channels, string? Overflow, int? Queue, double? DurationSeconds, float? Overlap, string[]? Allow);
