using Yamnet.Audio;
using Yamnet.Events;

namespace Yamnet.Native.Tests.Events;

/// <summary>Drives an <see cref="EventDetector"/> with hand-written scores and records every report.</summary>
internal sealed class EventScript : ISoundEventSink
{
    public readonly List<SoundEvent> Opened = [];
    public readonly List<SoundEvent> Closed = [];
    public readonly List<(string Kind, SoundEvent Event, int AfterWindow)> Log = [];
    private int _pushed;

    public EventDetector Detector { get; }
    public EventTimeline Timeline { get; }

    /// <param name="labels">Class names.</param>
    /// <param name="window">W in samples; with rate 1, seconds = samples.</param>
    public EventScript(string[] labels, EventDetectorOptions? options = null, int window = 1, int hop = 1, int rate = 1)
    {
        Timeline = new EventTimeline(window, hop, rate);
        Detector = new EventDetector(options ?? new EventDetectorOptions(), labels, Timeline, this);
    }

    /// <summary>Pushes windows k = 0.. with these scores; the stream holds <paramref name="totalSamples"/> samples (default exactly the windows).</summary>
    public EventScript Push(float[][] scores, long? totalSamples = null)
    {
        long n = totalSamples ?? (_pushed + scores.Length - 1L) * Timeline.Hop + Timeline.WindowLength;
        int first = _pushed;
        for (int k = 0; k < scores.Length; k++)
        {
            long start = (long)(first + k) * Timeline.Hop;
            var w = new AudioWindow(first + k, start, start / (double)Timeline.SampleRate, Math.Min(start + Timeline.WindowLength, n) / (double)Timeline.SampleRate);
            _pushed++;
            Detector.Push(w, scores[k]);
        }
        return this;
    }

    /// <summary>Pushes the scores of a one-class model.</summary>
    public EventScript Push(params float[] classZero) => Push(classZero.Select(s => new[] { s }).ToArray());

    public EventScript Flush(double? end = null)
    {
        Detector.Flush(end);
        return this;
    }

    public IEnumerable<(double Start, double End)> Spans => Closed.Select(e => (Math.Round(e.StartSeconds, 9), Math.Round(e.EndSeconds, 9)));

    void ISoundEventSink.Opened(in SoundEvent e)
    {
        Opened.Add(e);
        Log.Add(("open", e, _pushed));
    }

    void ISoundEventSink.Closed(in SoundEvent e)
    {
        Closed.Add(e);
        Log.Add(("close", e, _pushed));
    }
}
