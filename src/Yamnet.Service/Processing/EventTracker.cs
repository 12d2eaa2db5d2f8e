using Yamnet.Audio;
using Yamnet.Service.Outputs;

namespace Yamnet.Service.Processing;

/// <summary>
/// Turns window scores into event starts and ends per class: an event opens when a class scores at
/// least the threshold for min_duration, stays open while it scores at least the off threshold
/// (hysteresis), and closes once it stayed below for longer than merge_gap. An event spans from the
/// start of its first window to the end of its last window above the off threshold.
/// Memory is O(classes) and nothing is allocated per window. Not thread-safe: the caller serialises
/// <see cref="Push"/> and <see cref="CloseAll"/> (the stall timer calls the latter).
/// </summary>
public sealed class EventTracker
{
    private readonly int[] _classes;
    private readonly float _on, _off;
    private readonly double _minDuration, _mergeGap;
    private readonly State[] _state;

    /// <param name="classCount">Scores per window.</param>
    /// <param name="watched">Class indices that make events; null: all.</param>
    public EventTracker(int classCount, IReadOnlyList<int>? watched, double threshold, double? offThreshold, double minDuration, double mergeGap)
    {
        _classes = watched is { Count: > 0 } ? watched.Distinct().ToArray() : Enumerable.Range(0, classCount).ToArray();
        _on = (float)threshold;
        _off = (float)(offThreshold ?? threshold);
        _minDuration = minDuration;
        _mergeGap = mergeGap;
        _state = new State[classCount];
    }

    /// <summary>True while some event is open (or pending its min duration / merge gap).</summary>
    public bool AnyActive
    {
        get
        {
            foreach (int c in _classes) if (_state[c].Phase != Phase.Idle) return true;
            return false;
        }
    }

    /// <summary>Feeds one window (in order). <paramref name="scores"/> may be all zero for a window the level gate skipped.</summary>
    public void Push(in AudioWindow window, ReadOnlySpan<float> scores, List<TrackedEvent> output)
    {
        foreach (int c in _classes)
        {
            float s = scores[c];
            ref State st = ref _state[c];
            switch (st.Phase)
            {
                case Phase.Idle:
                    if (s >= _on)
                    {
                        st = new State { Phase = Phase.Pending, Start = window.StartSeconds, LastAbove = window.EndSeconds, Peak = s, Sum = s, Count = 1 };
                        TryOpen(ref st, c, output);
                    }
                    break;
                case Phase.Pending:
                    if (s >= _off)
                    {
                        st.LastAbove = window.EndSeconds;
                        st.Add(s);
                        TryOpen(ref st, c, output);
                    }
                    else st = default;
                    break;
                case Phase.Open:
                    if (s >= _off)
                    {
                        st.LastAbove = window.EndSeconds;
                        st.Add(s);
                    }
                    else if (window.EndSeconds - st.LastAbove > _mergeGap || _mergeGap == 0)
                    {
                        Close(ref st, c, output);
                    }
                    break;
            }
        }
    }

    /// <summary>Closes every open event (end of input, a stop, a stalled stream); pending ones are discarded.</summary>
    public void CloseAll(List<TrackedEvent> output)
    {
        foreach (int c in _classes)
        {
            ref State st = ref _state[c];
            if (st.Phase == Phase.Open) Close(ref st, c, output);
            st = default;
        }
    }

    private void TryOpen(ref State st, int c, List<TrackedEvent> output)
    {
        if (st.LastAbove - st.Start < _minDuration) return;
        st.Phase = Phase.Open;
        output.Add(new TrackedEvent(ServiceEventKind.Start, c, st.Start, st.LastAbove, st.Peak, st.Sum / st.Count));
    }

    private static void Close(ref State st, int c, List<TrackedEvent> output)
    {
        output.Add(new TrackedEvent(ServiceEventKind.End, c, st.Start, st.LastAbove, st.Peak, st.Sum / st.Count));
        st = default;
    }

    private enum Phase : byte
    {
        Idle,
        Pending,
        Open,
    }

    private struct State
    {
        public Phase Phase;
        public double Start;
        public double LastAbove;
        public float Peak;
        public float Sum;
        public int Count;

        public void Add(float s)
        {
            if (s > Peak) Peak = s;
            Sum += s;
            Count++;
        }
    }
}
