using System.Diagnostics;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Events;
using Yamnet.TfLite;

namespace Yamnet.Cli.Commands;

/// <summary>
/// What event detection adds to <c>classify --windows all</c> (issue 10: at most 2 %, 0 managed
/// bytes per window). One pipeline over the same recording, in this process: the classify work per
/// window (top 5) alone, then the same plus <see cref="EventDetector.Push"/>, alternating over three
/// rounds. Two figures, because under load an A/B of wall times is noise far above 2 %: the time
/// spent inside the detector as a fraction of the classify run (exact, load-independent), and the
/// A/B wall ratio. Allocation: managed bytes of a long run minus a short one, per extra window.
/// </summary>
internal sealed class BenchEvents(string model, TfLiteInterpreterOptions interpreter, Action<string> say)
{
    private const int Rounds = 3;
    private const int Hop = 7800;

    internal EventOverhead Measure(string shortFile, string longFile, int workers)
    {
        using var classifier = AudioClassifier.Load(model, new AudioClassifierOptions { Interpreter = interpreter });
        var pipeline = new WindowPipeline(classifier, workers);
        Run(pipeline, classifier, shortFile, detect: false);
        Run(pipeline, classifier, shortFile, detect: true); // warm-up: JIT, sessions, threads
        var plain = new List<double>();
        var withEvents = new List<double>();
        var inside = new List<double>();
        int windows = 0;
        long events = 0;
        for (int round = 0; round < Rounds; round++)
        {
            plain.Add(Run(pipeline, classifier, longFile, detect: false).Wall);
            var r = Run(pipeline, classifier, longFile, detect: true);
            withEvents.Add(r.Wall);
            inside.Add(r.DetectorSeconds);
            windows = r.Windows;
            events = r.Events;
        }
        var longRun = Run(pipeline, classifier, longFile, detect: true);
        var shortRun = Run(pipeline, classifier, shortFile, detect: true);
        double bytesPerWindow = (longRun.Bytes - shortRun.Bytes) / (double)(longRun.Windows - shortRun.Windows);
        plain.Sort();
        withEvents.Sort();
        inside.Sort();
        var result = new EventOverhead(plain[Rounds / 2], withEvents[Rounds / 2], inside[Rounds / 2], windows, events, bytesPerWindow);
        say($"\nevent detection overhead on classify --windows all ({windows} windows, {workers} workers, default rule, median of {Rounds} alternating rounds, {events} events):\n" +
            $"  classify (top 5) only {result.PlainWall,7:0.000} s   + detector {result.EventsWall,7:0.000} s   wall ratio {result.WallRatio:0.000}\n" +
            $"  time inside EventDetector.Push/Flush {result.DetectorSeconds * 1000:0.0} ms = {result.DetectorFraction * 100:0.00} % of the classify run (target <= 2 %)\n" +
            $"  managed bytes per window with the detector, steady state: {bytesPerWindow:0.##} (target 0)");
        return result;
    }

    private static (double Wall, double DetectorSeconds, int Windows, long Events, long Bytes) Run(WindowPipeline pipeline, AudioClassifier classifier, string file, bool detect)
    {
        var top = new ScoredClass[5];
        var sink = new CountingSink();
        var detector = detect ? new EventDetector(new EventDetectorOptions(), classifier.Labels, new EventTimeline(classifier.WindowLength, Hop, classifier.SampleRate), sink) : null;
        long inside = 0;
        long bytes0 = GC.GetTotalAllocatedBytes(precise: true);
        long t0 = Stopwatch.GetTimestamp();
        using var reader = AudioReader.Open(file, classifier.SampleRate);
        var stats = pipeline.Analyze(reader, Hop, (in AudioWindow w, ReadOnlySpan<float> scores) =>
        {
            TopK.Select(scores, top);
            if (detector is null) return;
            long s = Stopwatch.GetTimestamp();
            detector.Push(w, scores);
            inside += Stopwatch.GetTimestamp() - s;
        });
        if (detector is not null)
        {
            long s = Stopwatch.GetTimestamp();
            detector.Flush();
            inside += Stopwatch.GetTimestamp() - s;
        }
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return (wall, inside / (double)Stopwatch.Frequency, stats.Windows, sink.Count, GC.GetTotalAllocatedBytes(precise: true) - bytes0);
    }

    /// <summary>Counts events without keeping them, so the figure is the detector's own cost.</summary>
    private sealed class CountingSink : ISoundEventSink
    {
        internal long Count;

        public void Opened(in SoundEvent soundEvent) => Count++;

        public void Closed(in SoundEvent soundEvent)
        {
        }
    }
}

/// <summary>Event-detection overhead figures (see <see cref="BenchEvents"/>).</summary>
internal readonly record struct EventOverhead(double PlainWall, double EventsWall, double DetectorSeconds, int Windows, long Events, double BytesPerWindow)
{
    internal double WallRatio => EventsWall / PlainWall;

    internal double DetectorFraction => DetectorSeconds / PlainWall;
}
