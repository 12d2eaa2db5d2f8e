using System.Globalization;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Events;
using Yamnet.Live;
using Yamnet.Service.Configuration;
using Yamnet.Service.Outputs;
using Yamnet.Service.Processing;
using Yamnet.Service.Sources;

namespace Yamnet.Service.Hosting;

/// <summary>
/// Runs one source on its own thread with its own interpreter, isolated from the others: it opens
/// the source, classifies its windows (skipping those under the level gate), turns scores into events,
/// saves clips, publishes to the outputs and, when the source fails or ends, closes its open events
/// and opens it again after a backoff (doubling from restart_initial_seconds to restart_max_seconds,
/// back to the start after a run of a minute or more). Standard input and files are not reopened
/// once they end. Events come from the library's <see cref="EventDetector"/> (the rules of
/// <c>yamnet detect</c>) driven through a <see cref="StreamEventTracker"/>, whose timer closes open
/// events when no window came for events.stall_seconds.
/// </summary>
public sealed class SourceRunner
{
    private readonly SourceConfig _source;
    private readonly ServiceConfig _config;
    private readonly AudioClassifier _classifier;
    private readonly EventDetectorOptions _rules;
    private readonly IReadOnlyList<IEventOutput> _outputs;
    private readonly ServiceLog _log;
    public SourceRunner(SourceConfig source, ServiceConfig config, AudioClassifier classifier, EventDetectorOptions rules,
        IReadOnlyList<IEventOutput> outputs, ServiceLog log)
    {
        _source = source;
        _config = config;
        _classifier = classifier;
        _rules = rules;
        _outputs = outputs;
        _log = log;
        Name = source.EffectiveName;
    }

    public string Name { get; }

    public SourceStats Stats { get; } = new();

    /// <summary>Runs until <paramref name="stop"/> or, for stdin and files, the end of the input.</summary>
    public void Run(CancellationToken stop)
    {
        using var session = _classifier.CreateSession();
        double backoff = _source.RestartInitialSeconds;
        bool restartable = _source.Kind != SourceKind.Stdin;
        while (!stop.IsCancellationRequested)
        {
            var started = DateTime.UtcNow;
            string ending;
            bool endOfInput = false;
            bool failed = false;
            Stats.Runs++;
            try
            {
                using var source = Open();
                endOfInput = RunOnce(session, source, stop);
                ending = source is FfmpegSource f ? f.ExitSummary() : endOfInput ? "end of input" : "stopped";
                if (source is FfmpegSource { Stalled: true } or FfmpegSource { ExitCode: not 0 }) failed = true;
            }
            catch (FfmpegNotFoundException e)
            {
                Stats.FatalError = e.Message;
                _log.Write($"{Name}: {e.Message}");
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ending = "failed: " + e.Message;
                failed = true;
            }
            if (stop.IsCancellationRequested) return;
            if (failed) Stats.Failures++;
            bool isFile = _source.Kind == SourceKind.Ffmpeg && !_source.Input.Contains("://", StringComparison.Ordinal);
            // A duration bounds the source as a whole (a device too): reaching it is the end, not a failure to retry.
            bool durationReached = endOfInput && !failed && _source.DurationSeconds is not null;
            if (!restartable || (isFile && !failed) || durationReached)
            {
                Stats.Finished = true;
                if (failed) Stats.FatalError = ending;
                _log.Write($"{Name}: {ending}");
                return;
            }
            if ((DateTime.UtcNow - started).TotalSeconds >= 60) backoff = _source.RestartInitialSeconds;
            _log.Write(string.Create(CultureInfo.InvariantCulture, $"{Name}: {ending}; restarting in {backoff:0.#} s"));
            if (stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(backoff))) return;
            backoff = Math.Min(backoff * 2, _source.RestartMaxSeconds);
        }
    }

    private ILiveSource Open()
    {
        int rate = _classifier.SampleRate;
        return _source.Kind switch
        {
            SourceKind.Stdin => new PcmStreamSource(Console.OpenStandardInput(), "stdin", rate, _source.Rate, _source.Channels, leaveOpen: true),
            SourceKind.Alsa => AlsaCaptureSource.Open(_source.Input["alsa:".Length..], rate, quietLibrary: true), // its own messages would break log lines; errors come back as exceptions
            _ => FfmpegSource.Start(_source.Ffmpeg, _source.Input, Name, rate, _source.StallSeconds, _log.Write),
        };
    }

    /// <summary>One run of an opened source; true when the input ended (rather than a stop).</summary>
    private bool RunOnce(ClassifierSession session, ILiveSource inner, CancellationToken stop)
    {
        int rate = _classifier.SampleRate, window = _classifier.WindowLength;
        int hop = _config.HopSamples(window, rate);
        SampleHistory? history = _config.Clips is { } clips ? new SampleHistory(ClipSaver.HistoryCapacity(clips, rate)) : null;
        var clipSaver = history is null ? null : new ClipSaver(_config.Clips!, Name, rate, history, _log.Write);
        RecordingSource recording = null!;
        var sink = new Sink(this, () => recording, clipSaver);
        var detector = new EventDetector(_rules, _classifier.Labels, new EventTimeline(window, hop, rate), sink);
        using var tracker = new StreamEventTracker(detector, TimeSpan.FromSeconds(_config.Events.StallSeconds))
        {
            Stalled = () => _log.Write($"{Name}: no audio for {_config.Events.StallSeconds:0.#} s: open events closed"),
        };
        recording = new RecordingSource(inner, history);
        var zeros = new float[_classifier.ClassCount];
        double? minLevel = _config.MinLevelDbfs;
        long levelEvery = Math.Max(1, (long)Math.Round(_config.LevelIntervalSeconds * rate));
        long nextLevelAt = levelEvery;
        double levelSum = 0;
        int levelCount = 0;
        var overflow = _source.Overflow ?? (_source.Kind == SourceKind.Stdin ? "block" : "drop");
        var options = new LivePumpOptions
        {
            QueueCapacity = _source.Queue,
            Overflow = overflow == "block" ? OverflowPolicy.Block : OverflowPolicy.Drop,
            MaxSamples = _source.DurationSeconds is { } d ? Math.Max(1, (long)Math.Round(d * rate)) : long.MaxValue,
            OnDropBurst = burst =>
            {
                Interlocked.Add(ref Stats.WindowsDropped, burst.Count);
                _log.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{Name}: dropped {burst.Count} window{(burst.Count == 1 ? "" : "s")} ({burst.StartSeconds:0.000}s-{burst.EndSeconds:0.000}s): inference fell behind the input"));
            },
        };
        var pump = new LiveWindowPump(window, hop, options);
        var stats = pump.Run(recording, (in AudioWindow w, ReadOnlySpan<float> samples) =>
        {
            double rms = LevelMeter.Rms(samples);
            double dbfs = LevelMeter.ToDbfs(rms);
            levelSum += rms * rms;
            levelCount++;
            long windowEnd = w.StartSample + window;
            if (windowEnd >= nextLevelAt)
            {
                double meanRms = Math.Sqrt(levelSum / levelCount);
                foreach (var o in _outputs) o.PublishLevel(Name, meanRms, LevelMeter.ToDbfs(meanRms));
                levelSum = 0;
                levelCount = 0;
                nextLevelAt = windowEnd + levelEvery;
            }
            ReadOnlySpan<float> scores;
            if (minLevel is { } min && dbfs < min)
            {
                Stats.WindowsGated++;
                scores = zeros; // nothing worth hearing: open events close as they would on silence
            }
            else
            {
                samples.CopyTo(session.Input);
                session.Run();
                Stats.WindowsClassified++;
                scores = session.Scores;
            }
            tracker.Push(w, scores); // the sink publishes what it opens or closes
            clipSaver?.Poll();
        }, stop);

        tracker.Flush(); // end of input, a stop, a failure: every open event closes and is published
        clipSaver?.Poll(final: true);
        Stats.AudioSeconds += stats.AudioSeconds;
        if (clipSaver is not null) Stats.ClipsSaved += clipSaver.Written;
        return stats.EndOfInput;
    }

    /// <summary>Publishes one opened or closed event (called under the tracker's lock), logging one line.</summary>
    private void Emit(in SoundEvent ev, RecordingSource recording, ClipSaver? clips)
    {
        var detected = DateTimeOffset.UtcNow;
        var origin = recording.FirstSampleUtc ?? detected;
        var startUtc = origin + TimeSpan.FromSeconds(ev.StartSeconds);
        bool end = !ev.IsOpen;
        string? clip = null;
        if (end && clips is not null)
        {
            clip = clips.PathFor(ev.Label, startUtc);
            clips.Schedule(clip, ev.StartSeconds, ev.EndSeconds);
        }
        var e = new ServiceEvent(Name, end ? ServiceEventKind.End : ServiceEventKind.Start, ev.Label, ev.ClassIndex, ev.StartSeconds, end ? ev.EndSeconds : null, startUtc,
            end ? origin + TimeSpan.FromSeconds(ev.EndSeconds) : null, ev.Peak, ev.Mean, clip, detected);
        Interlocked.Increment(ref Stats.Events);
        _log.Write(end
            ? $"{Name}: {ev.Label} ended after {ev.DurationSeconds:0.00} s (from {EventJson.Utc(startUtc)}, peak {ev.Peak:0.00})"
            : $"{Name}: {ev.Label} started at {EventJson.Utc(startUtc)} ({ev.StartSeconds:0.00} s, score {ev.Peak:0.00})");
        foreach (var o in _outputs) o.Publish(e);
    }

    /// <summary>Receives the detector's reports for one run.</summary>
    private sealed class Sink(SourceRunner runner, Func<RecordingSource> recording, ClipSaver? clips) : ISoundEventSink
    {
        public void Opened(in SoundEvent soundEvent) => runner.Emit(soundEvent, recording(), clips);

        public void Closed(in SoundEvent soundEvent) => runner.Emit(soundEvent, recording(), clips);
    }
}
