using Yamnet.Audio;
using Yamnet.Classification;

namespace Yamnet.Events;

/// <summary>
/// Turns a stream of window results into sound events, as they happen: feed it every window's scores
/// in order (<see cref="Push"/> has the shape of <see cref="WindowScoresCallback"/>, so it plugs into
/// <see cref="FileAnalyzer"/>, <see cref="WindowPipeline"/> and the live classifier alike) and it
/// reports each event to an <see cref="ISoundEventSink"/> when it opens and when it closes.
/// <para>
/// Per tracked label (a class or a <see cref="LabelGroup"/>, scored as the max of its members), with
/// its <see cref="EventRule"/>: the score is median-filtered over k windows (centred; at the ends of
/// the stream over the windows that exist), an event starts at a window whose filtered score reaches
/// <c>On</c> and continues while it stays at or above <c>Off</c>; when it falls below, the event ends
/// there unless the score reaches <c>On</c> again within <c>MergeGap</c> seconds (then the two are one
/// event); an event shorter than <c>MinDuration</c> (after merging) is dropped. An event is reported
/// opened once it has lasted <c>MinDuration</c>, and closed once the merge gap has passed (or at a
/// <see cref="Flush(double?)"/>). Times follow <see cref="EventTimeline"/>.
/// </para>
/// <para>
/// Memory is O(classes × k), allocated here; <see cref="Push"/> and <see cref="Flush(double?)"/>
/// allocate nothing (the sink may). Not thread-safe: one thread at a time (see
/// <see cref="StreamEventTracker"/> for a live stream with a stall timer). The median filter delays
/// decisions by (k − 1)/2 windows (<see cref="DelayWindows"/>).
/// </para>
/// </summary>
public sealed class EventDetector
{
    private const double Epsilon = 1e-9;

    private enum State : byte
    {
        Idle,
        Active,
        Gap,
    }

    private readonly EventTimeline _timeline;
    private readonly ISoundEventSink _sink;
    private readonly int _classCount;
    private readonly int _channels;

    // Channel c: a class (_source[c] >= 0) or group g (_source[c] = -1 - g, members in _members[_groupStart[g].._groupStart[g + 1]]).
    private readonly string[] _names;
    private readonly int[] _source;
    private readonly int[] _groupStart;
    private readonly int[] _members;
    private readonly float[] _on;
    private readonly float[] _off;
    private readonly double[] _minDuration;
    private readonly double[] _mergeGap;
    private readonly int[] _half;

    // The last _history windows' channel scores ([slot * _channels + c]) and windows, slot = ordinal % _history.
    private readonly int _delay;
    private readonly int _history;
    private readonly float[] _ring;
    private readonly AudioWindow[] _windows;
    private readonly float[] _scratch;
    private long _received;   // windows pushed since the last flush (their ordinals are 0.._received-1)
    private long _processed;  // of those, windows decided
    private double _floor;    // no event starts before the end of what a flush closed

    private readonly State[] _state;
    private readonly bool[] _reported;
    private readonly long[] _id;
    private readonly double[] _start;
    private readonly double[] _activeEnd;
    private readonly float[] _peak;
    private readonly double[] _sum;
    private readonly int[] _count;
    private readonly double[] _gapSum;
    private readonly int[] _gapCount;
    private long _nextId;
    private int _open;

    /// <summary>A detector for a model whose classes are named <paramref name="classNames"/> (index i = class i).</summary>
    /// <exception cref="ArgumentException">An unknown label (with suggestions), a group named like a class, an invalid rule, allow and deny together.</exception>
    public EventDetector(EventDetectorOptions options, IReadOnlyList<string> classNames, EventTimeline timeline, ISoundEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(sink);
        timeline.Validate();
        if (classNames.Count == 0) throw new ArgumentException("the model has no classes", nameof(classNames));
        _timeline = timeline;
        _sink = sink;
        _classCount = classNames.Count;

        var labels = new LabelIndex(classNames);
        var groupNames = new Dictionary<string, int>(StringComparer.Ordinal);
        var groupMembers = new List<int[]>();
        foreach (var group in options.Groups)
        {
            string where = group.Source is { } s ? $"group '{group.Name}' ({s})" : $"group '{group.Name}'";
            if (labels.Contains(group.Name)) throw new ArgumentException($"{where}: the name is already a class label; choose another group name");
            if (!groupNames.TryAdd(group.Name, groupMembers.Count)) throw new ArgumentException($"{where} is defined twice");
            var members = new SortedSet<int>();
            foreach (string member in group.Members)
            {
                if (!labels.TryGet(member, out var indices)) throw new ArgumentException(labels.Unknown(member, where));
                members.UnionWith(indices);
            }
            if (members.Count == 0) throw new ArgumentException($"{where} has no members");
            groupMembers.Add([.. members]);
        }
        var allNames = groupNames.Keys.ToList();

        bool hasAllow = options.Allow.Count > 0, hasDeny = options.Deny.Count > 0;
        if (hasAllow && hasDeny) throw new ArgumentException("allow and deny lists are mutually exclusive");
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in hasAllow ? options.Allow : options.Deny)
        {
            if (!labels.Contains(name) && !groupNames.ContainsKey(name)) throw new ArgumentException(labels.Unknown(name, hasAllow ? "the allow list" : "the deny list", allNames));
            listed.Add(name);
        }
        bool Tracked(string name) => hasAllow ? listed.Contains(name) : !listed.Contains(name);

        var overrides = new Dictionary<string, EventRuleOverride>(StringComparer.Ordinal);
        foreach (var rule in options.Rules)
        {
            if (!labels.Contains(rule.Label) && !groupNames.ContainsKey(rule.Label)) throw new ArgumentException(labels.Unknown(rule.Label, "the thresholds", allNames));
            if (!overrides.TryAdd(rule.Label, rule)) throw new ArgumentException($"thresholds for '{rule.Label}' are given twice");
        }
        options.DefaultRule.Validate("default rule");

        var names = new List<string>();
        var source = new List<int>();
        var rules = new List<EventRule>();
        for (int i = 0; i < classNames.Count; i++)
        {
            if (!Tracked(classNames[i])) continue;
            names.Add(classNames[i]);
            source.Add(i);
        }
        foreach (var (name, g) in groupNames)
        {
            if (!Tracked(name)) continue;
            names.Add(name);
            source.Add(-1 - g);
        }
        foreach (string name in names)
        {
            var rule = overrides.TryGetValue(name, out var o) ? o.ApplyTo(options.DefaultRule) : options.DefaultRule;
            rule.Validate(name);
            rules.Add(rule);
        }

        _channels = names.Count;
        _names = [.. names];
        _source = [.. source];
        _groupStart = new int[groupMembers.Count + 1];
        for (int g = 0; g < groupMembers.Count; g++) _groupStart[g + 1] = _groupStart[g] + groupMembers[g].Length;
        _members = groupMembers.SelectMany(m => m).ToArray();
        _on = rules.Select(r => r.On).ToArray();
        _off = rules.Select(r => r.Off).ToArray();
        _minDuration = rules.Select(r => r.MinDuration).ToArray();
        _mergeGap = rules.Select(r => r.MergeGap).ToArray();
        _half = rules.Select(r => (r.Median - 1) / 2).ToArray();
        _delay = _half.Length == 0 ? 0 : _half.Max();
        _history = 2 * _delay + 1;
        _ring = new float[_history * _channels];
        _windows = new AudioWindow[_history];
        _scratch = new float[_history];

        _state = new State[_channels];
        _reported = new bool[_channels];
        _id = new long[_channels];
        _start = new double[_channels];
        _activeEnd = new double[_channels];
        _peak = new float[_channels];
        _sum = new double[_channels];
        _count = new int[_channels];
        _gapSum = new double[_channels];
        _gapCount = new int[_channels];
    }

    /// <summary>A detector for <paramref name="labels"/> (e.g. an <see cref="AudioClassifier"/>'s).</summary>
    public EventDetector(EventDetectorOptions options, ClassLabels labels, EventTimeline timeline, ISoundEventSink sink)
        : this(options, NamesOf(labels), timeline, sink)
    {
    }

    public EventTimeline Timeline => _timeline;

    /// <summary>Labels and groups tracked (classes first, in index order, then groups).</summary>
    public IReadOnlyList<string> TrackedLabels => _names;

    /// <summary>Windows a decision lags behind the newest window: (k − 1)/2 for the largest median filter k.</summary>
    public int DelayWindows => _delay;

    /// <summary>Events reported opened and not yet closed.</summary>
    public int OpenEvents => _open;

    /// <summary>Windows pushed since the last flush whose decisions the median filter still holds back.</summary>
    public int PendingWindows => (int)(_received - _processed);

    /// <summary>Windows pushed since the last <see cref="Flush(double?)"/> (0: nothing to flush).</summary>
    public long WindowsSinceFlush => _received;

    /// <summary>
    /// Adds the next window's scores (the model's output for <paramref name="window"/>, one per class).
    /// Windows must come in order; a gap in indices (dropped windows) is bridged.
    /// </summary>
    public void Push(in AudioWindow window, ReadOnlySpan<float> scores)
    {
        if (scores.Length != _classCount) throw new ArgumentException($"expected {_classCount} scores, got {scores.Length}", nameof(scores));
        int slot = (int)(_received % _history);
        var row = _ring.AsSpan(slot * _channels, _channels);
        for (int c = 0; c < row.Length; c++)
        {
            int s = _source[c];
            float v;
            if (s >= 0)
            {
                v = scores[s];
            }
            else
            {
                int g = -1 - s;
                v = 0;
                for (int m = _groupStart[g]; m < _groupStart[g + 1]; m++)
                {
                    float x = scores[_members[m]];
                    if (x > v) v = x;
                }
            }
            row[c] = float.IsNaN(v) ? 0 : v;
        }
        _windows[slot] = window;
        _received++;
        if (_received > _delay) Process(_processed, _received - 1);
    }

    /// <summary>
    /// Treats the stream so far as complete: decides the windows the median filter held back, extends
    /// the last window to <paramref name="endSeconds"/> (default: where its real audio ends), and
    /// closes every event (reporting an event that reaches its minimum duration only now as opened,
    /// then closed). Call it at the end of the input, on a stop signal, or when a live stream stalls.
    /// Windows pushed afterwards start a new stretch (the median filter does not look back across it).
    /// </summary>
    public void Flush(double? endSeconds = null)
    {
        if (_received == 0) return;
        long last = _received - 1;
        var lastWindow = _windows[(int)(last % _history)];
        double extend = endSeconds ?? lastWindow.EndSeconds;
        while (_processed <= last) Process(_processed, last);
        // An event still active holds the last window, which extends to the end of the input.
        double end = Math.Max(Math.Max(_timeline.End(lastWindow), _floor), extend);
        for (int c = 0; c < _channels; c++)
        {
            if (_state[c] == State.Active && end > _activeEnd[c]) _activeEnd[c] = end;
            Finish(c);
        }
        _floor = Math.Max(_floor, end);
        _received = 0;
        _processed = 0;
    }

    private void Process(long ordinal, long lastAvailable)
    {
        int slot = (int)(ordinal % _history);
        ref readonly var window = ref _windows[slot];
        double begin = Math.Max(_timeline.Begin(window), _floor);
        double end = Math.Max(_timeline.End(window), begin);
        var row = _ring.AsSpan(slot * _channels, _channels);
        for (int c = 0; c < _channels; c++)
        {
            float raw = row[c];
            int h = _half[c];
            float filtered = h == 0 ? raw : Median(c, ordinal, h, lastAvailable);
            Step(c, raw, filtered, begin, end);
        }
        _processed = ordinal + 1;
    }

    /// <summary>Median of channel <paramref name="c"/> over ordinals [j − h, j + h] that exist (mean of the middle two for an even count).</summary>
    private float Median(int c, long j, int h, long lastAvailable)
    {
        long lo = Math.Max(0, j - h), hi = Math.Min(lastAvailable, j + h);
        int n = 0;
        var buf = _scratch;
        for (long o = lo; o <= hi; o++)
        {
            float v = _ring[(int)(o % _history) * _channels + c];
            int k = n++;
            while (k > 0 && buf[k - 1] > v)
            {
                buf[k] = buf[k - 1];
                k--;
            }
            buf[k] = v;
        }
        return (n & 1) == 1 ? buf[n / 2] : (buf[n / 2 - 1] + buf[n / 2]) / 2f;
    }

    private void Step(int c, float raw, float filtered, double begin, double end)
    {
        switch (_state[c])
        {
            case State.Idle:
                if (filtered >= _on[c]) Begin(c, raw, begin, end);
                break;
            case State.Active:
                if (filtered >= _off[c])
                {
                    Extend(c, raw, end);
                }
                else
                {
                    _state[c] = State.Gap;
                    _gapSum[c] = raw;
                    _gapCount[c] = 1;
                    if (end - _activeEnd[c] > _mergeGap[c] + Epsilon) Finish(c);
                }
                break;
            case State.Gap:
                if (filtered >= _on[c])
                {
                    if (begin - _activeEnd[c] <= _mergeGap[c] + Epsilon)
                    {
                        _sum[c] += _gapSum[c];
                        _count[c] += _gapCount[c];
                        _state[c] = State.Active;
                        Extend(c, raw, end);
                    }
                    else
                    {
                        Finish(c);
                        Begin(c, raw, begin, end);
                    }
                }
                else
                {
                    _gapSum[c] += raw;
                    _gapCount[c]++;
                    if (end - _activeEnd[c] > _mergeGap[c] + Epsilon) Finish(c);
                }
                break;
        }
    }

    private void Begin(int c, float raw, double begin, double end)
    {
        _state[c] = State.Active;
        _reported[c] = false;
        _start[c] = begin;
        _activeEnd[c] = end;
        _peak[c] = raw;
        _sum[c] = raw;
        _count[c] = 1;
        ReportIfEstablished(c);
    }

    private void Extend(int c, float raw, double end)
    {
        _activeEnd[c] = end;
        if (raw > _peak[c]) _peak[c] = raw;
        _sum[c] += raw;
        _count[c]++;
        ReportIfEstablished(c);
    }

    private void ReportIfEstablished(int c)
    {
        if (_reported[c] || _activeEnd[c] - _start[c] < _minDuration[c] - Epsilon) return;
        _reported[c] = true;
        _id[c] = _nextId++;
        _open++;
        _sink.Opened(EventOf(c, isOpen: true));
    }

    private void Finish(int c)
    {
        if (_state[c] == State.Idle) return;
        ReportIfEstablished(c);
        _state[c] = State.Idle;
        if (!_reported[c]) return;
        _reported[c] = false;
        _open--;
        _sink.Closed(EventOf(c, isOpen: false));
    }

    private SoundEvent EventOf(int c, bool isOpen)
    {
        int s = _source[c];
        return new SoundEvent(_id[c], _names[c], s >= 0 ? s : -1, s < 0, _start[c], _activeEnd[c], _peak[c], (float)(_sum[c] / _count[c]), isOpen);
    }

    private static string[] NamesOf(ClassLabels labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var names = new string[labels.Count];
        for (int i = 0; i < names.Length; i++) names[i] = labels.NameOf(i);
        return names;
    }
}
