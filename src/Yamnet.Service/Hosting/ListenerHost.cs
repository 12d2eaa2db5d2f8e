using System.Diagnostics;
using System.Globalization;
using Yamnet.Classification;
using Yamnet.Events;
using Yamnet.Service.Processing;
using Yamnet.Service.Configuration;
using Yamnet.Service.Outputs;
using Yamnet.Service.Sources;

namespace Yamnet.Service.Hosting;

/// <summary>
/// The listener process: starts the outputs, one <see cref="SourceRunner"/> thread per source, tells
/// systemd it is ready, and runs until stopped (SIGTERM/SIGINT through <paramref name="stop"/>), until
/// every source has ended for good (stdin, files), or until an output cannot work at all (a broker
/// refusing our credentials). On the way out open events are closed and published, outputs deliver
/// what they hold within <see cref="FlushDeadline"/>, and a summary is logged: a stop ends within
/// 5 s (<see cref="SourceStopBudget"/> + <see cref="FlushDeadline"/>), the budget the unit file gives.
/// </summary>
public static class ListenerHost
{
    /// <summary>How long outputs may take to deliver what is queued at shutdown.</summary>
    public static readonly TimeSpan FlushDeadline = TimeSpan.FromSeconds(1.2);

    /// <summary>How long outputs may take to deliver what is queued when every input ended by itself (no stop signal to answer).</summary>
    public static readonly TimeSpan EndOfInputFlushDeadline = TimeSpan.FromSeconds(15);

    /// <summary>How long the sources together may take to stop and close their events (a blocked stdin read alone costs the pump 1 s).</summary>
    public static readonly TimeSpan SourceStopBudget = TimeSpan.FromSeconds(3.2);

    /// <summary>Runs the listener; returns the exit code (0: stopped or inputs ended; 1: a source or an output failed for good).</summary>
    /// <exception cref="ServiceConfigException">A watched label the model does not have, or a missing ffmpeg.</exception>
    public static int Run(ServiceConfig config, AudioClassifier classifier, ServiceLog log, Stream stdout, CancellationToken stop, SystemdNotifier? systemd = null)
    {
        int hop = config.HopSamples(classifier.WindowLength, classifier.SampleRate);
        var rules = ResolveRules(config.Events, classifier, hop);
        foreach (var s in config.Sources)
        {
            if (s.Kind == SourceKind.Ffmpeg && FfmpegNotFoundException.Locate(s.Ffmpeg) is null)
                throw new ServiceConfigException([$"sources[{config.Sources.IndexOf(s)}].input: {new FfmpegNotFoundException(s.Ffmpeg).Message}"]);
            log.AddSecrets(SecretMasker.SecretsOf(s.Input));
        }

        var outputs = new List<IEventOutput>();
        if (config.Outputs.Stdout) outputs.Add(new JsonLinesOutput(stdout));
        if (config.Outputs.Mqtt is { } mqttConfig)
        {
            var mqtt = new MqttOutput(mqttConfig, log.Write);
            log.AddSecrets([mqttConfig.ReadPassword()]);
            outputs.Add(mqtt);
        }
        if (config.Outputs.Webhook is { } hook)
        {
            log.AddSecrets(SecretMasker.SecretsOf(hook.Url));
            outputs.Add(new WebhookOutput(hook, log.Write));
        }

        var runners = config.Sources.Select(s => new SourceRunner(s, config, classifier, rules, outputs, log)).ToList();
        var labelNames = (IReadOnlyList<string>)config.Events.Labels.Distinct().ToList();
        var watchedBySource = runners.ToDictionary(r => r.Name, _ => labelNames, StringComparer.Ordinal);
        foreach (var o in outputs) o.Start(watchedBySource);

        using var runStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var threads = runners.Select(r => new Thread(() => r.Run(runStop.Token)) { IsBackground = true, Name = "yamnet-source-" + r.Name }).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var t in threads) t.Start();

        // InvariantGlobalization (Directory.Build.props): numbers print with '.' whatever the locale.
        log.Write(
            $"listening to {string.Join(", ", runners.Select(r => r.Name))}: hop {hop / (double)classifier.SampleRate:0.###} s, " +
            $"events at {config.Events.Threshold}{(config.Events.Labels.Count > 0 ? " for " + string.Join(", ", config.Events.Labels) : "")}" +
            (config.MinLevelDbfs is { } g ? $", level gate {g} dBFS" : "") +
            (config.Clips is { } c ? $", clips to {c.Dir}" : "") +
            $"; outputs: {string.Join(", ", outputs.Select(o => o.Name))}");
        systemd?.Notify("READY=1\nSTATUS=listening to " + string.Join(", ", runners.Select(r => r.Name)));

        // Wait for a stop, for every source to end, or for an output to fail for good.
        var allDone = Task.Run(() => threads.ForEach(t => t.Join()));
        var fatal = Task.WhenAny(outputs.Select(o => o.Fatal));
        int index = Task.WaitAny([allDone, fatal, Task.Delay(Timeout.Infinite, stop)]);
        string? fatalMessage = index == 1 ? fatal.Result.Result : null;
        if (fatalMessage is not null) log.Write(fatalMessage);

        systemd?.Notify("STOPPING=1");
        runStop.Cancel();
        // Each runner notices within one read (a blocked stdin read is abandoned after 1 s by the pump) and closes its events.
        var budget = Stopwatch.StartNew();
        foreach (var t in threads) t.Join(SourceStopBudget - budget.Elapsed is { Ticks: > 0 } left ? left : TimeSpan.Zero);
        // After a stop signal the 5 s budget holds; when the inputs simply ended, outputs get longer to deliver (retries).
        var flush = index == 0 ? EndOfInputFlushDeadline : FlushDeadline;
        Task.WaitAll(outputs.Select(o => o.StopAsync(flush)).ToArray(), flush + TimeSpan.FromSeconds(0.3));

        foreach (var r in runners)
        {
            var s = r.Stats;
            double classified = s.WindowsClassified + s.WindowsGated;
            log.Write(
                $"{r.Name}: {s.AudioSeconds:0.0} s of audio, {s.WindowsClassified} windows classified, {s.WindowsGated} below the level gate" +
                (classified > 0 && s.WindowsGated > 0 ? $" ({100 * s.WindowsGated / classified:0.#}% of inference saved)" : "") +
                $", {s.WindowsDropped} dropped, {s.Events} event messages, {s.ClipsSaved} clips, {s.Runs} run{(s.Runs == 1 ? "" : "s")}, {s.Failures} failure{(s.Failures == 1 ? "" : "s")}");
        }
        foreach (var o in outputs) log.Write(o.Summary);
        var gc = GC.GetGCMemoryInfo();
        log.Write(string.Create(CultureInfo.InvariantCulture,
            $"memory: {GC.GetTotalAllocatedBytes() / 1e6:0.0} MB allocated in all, {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} gen0/1/2 collections, GC heap {gc.HeapSizeBytes / 1e6:0.0} MB (committed {gc.TotalCommittedBytes / 1e6:0.0} MB)"));
        log.Write(string.Create(CultureInfo.InvariantCulture, $"stopped after {clock.Elapsed.TotalSeconds:0.0} s"));
        bool sourceFailed = runners.Any(r => r.Stats.FatalError is not null);
        return fatalMessage is not null || sourceFailed ? 1 : 0;
    }

    /// <summary>The event rules, checked against the model's labels now (an unknown label, with suggestions, is a config error).</summary>
    public static EventDetectorOptions ResolveRules(EventsConfig events, AudioClassifier classifier, int hop)
    {
        var options = EventRules.ToOptions(events);
        try
        {
            _ = new EventDetector(options, classifier.Labels, new EventTimeline(classifier.WindowLength, hop, classifier.SampleRate), NoSink.Instance);
        }
        catch (ArgumentException e)
        {
            throw new ServiceConfigException([$"events: {e.Message}"]);
        }
        return options;
    }

    private sealed class NoSink : ISoundEventSink
    {
        public static readonly NoSink Instance = new();

        public void Opened(in SoundEvent soundEvent)
        {
        }

        public void Closed(in SoundEvent soundEvent)
        {
        }
    }
}
