using System.Globalization;
using Yamnet.Audio;
using Yamnet.Classification;
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
/// once they end. A timer closes open events when no audio came for events.stall_seconds.
/// </summary>
public sealed class SourceRunner
{
    private readonly SourceConfig _source;
    private readonly ServiceConfig _config;
    private readonly AudioClassifier _classifier;
    private readonly IReadOnlyList<int>? _watched;
    private readonly IReadOnlyList<IEventOutput> _outputs;
    private readonly ServiceLog _log;
    private readonly Lock _eventLock = new();
    private readonly List<TrackedEvent> _tracked = [];

    public SourceRunner(SourceConfig source, ServiceConfig config, AudioClassifier classifier, IReadOnlyList<int>? watched,
        IReadOnlyList<IEventOutput> outputs, ServiceLog log)
    {
        _source = source;
        _config = config;
        _classifier = classifier;
        _watched = watched;
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
            if (!restartable || (isFile && !failed))
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
            SourceKind.Alsa => AlsaCaptureSource.Open(_source.Input["alsa:".Length..], rate),
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
        var recording = new RecordingSource(inner, history);
        var tracker = new EventTracker(_classifier.ClassCount, _watched, _config.Events.Threshold, _config.Events.OffThreshold,
            _config.Events.MinDurationSeconds, _config.Events.MergeGapSeconds);
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
        double stallMs = _config.Events.StallSeconds * 1000;
        using var stallTimer = new Timer(_ =>
        {
            if (Environment.TickCount64 - recording.LastDataTicks < stallMs) return;
            lock (_eventLock)
            {
                if (!tracker.AnyActive) return;
                tracker.CloseAll(_tracked);
                _log.Write($"{Name}: no audio for {_config.Events.StallSeconds:0.#} s: closing open events");
                Emit(recording, clipSaver, DateTimeOffset.UtcNow);
            }
        }, null, 250, 250);

        var pump = new LiveWindowPump(window, hop, options);
        var stats = pump.Run(recording, (in AudioWindow w, ReadOnlySpan<float> samples) =>
        {
            var detected = DateTimeOffset.UtcNow;
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
            lock (_eventLock)
            {
                tracker.Push(w, scores, _tracked);
                if (_tracked.Count > 0) Emit(recording, clipSaver, detected);
            }
            clipSaver?.Poll();
        }, stop);

        lock (_eventLock)
        {
            tracker.CloseAll(_tracked);
            Emit(recording, clipSaver, DateTimeOffset.UtcNow);
        }
        clipSaver?.Poll(final: true);
        Stats.AudioSeconds += stats.AudioSeconds;
        if (clipSaver is not null) Stats.ClipsSaved += clipSaver.Written;
        return stats.EndOfInput;
    }

    /// <summary>Publishes what the tracker reported (under the event lock), logging one line per event.</summary>
    private void Emit(RecordingSource recording, ClipSaver? clips, DateTimeOffset detected)
    {
        if (_tracked.Count == 0) return;
        var origin = recording.FirstSampleUtc ?? DateTimeOffset.UtcNow;
        foreach (var t in _tracked)
        {
            string label = _classifier.Labels.NameOf(t.Index);
            var startUtc = origin + TimeSpan.FromSeconds(t.StartSeconds);
            string? clip = null;
            bool end = t.Kind == ServiceEventKind.End;
            if (end && clips is not null)
            {
                clip = clips.PathFor(label, startUtc);
                clips.Schedule(clip, t.StartSeconds, t.EndSeconds);
            }
            var e = new ServiceEvent(Name, t.Kind, label, t.Index, t.StartSeconds, end ? t.EndSeconds : null, startUtc,
                end ? origin + TimeSpan.FromSeconds(t.EndSeconds) : null, t.Peak, t.Mean, clip, detected);
            Stats.Events++;
            _log.Write(end
                ? string.Create(CultureInfo.InvariantCulture, $"{Name}: {label} ended after {t.EndSeconds - t.StartSeconds:0.00} s (from {EventJson.Utc(startUtc)}, peak {t.Peak:0.00})")
                : string.Create(CultureInfo.InvariantCulture, $"{Name}: {label} started at {EventJson.Utc(startUtc)} ({t.StartSeconds:0.00} s, score {t.Peak:0.00})"));
            foreach (var o in _outputs) o.Publish(e);
        }
        _tracked.Clear();
    }
}
