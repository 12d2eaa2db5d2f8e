using Yamnet.Audio;
using Yamnet.Classification;

namespace Yamnet.Analysis;

/// <summary>
/// One window's result: its time range, its best classes (and, when asked, every class's score).
/// <para>
/// <b>Lifetime.</b> The enumerations of <see cref="AudioAnalysis"/> hand out the same instance for
/// every window, refilled in place, so that classifying allocates nothing per window: a result is
/// valid until the next <c>MoveNext</c>/<c>MoveNextAsync</c> (the next loop iteration). To keep one,
/// call <see cref="Clone"/>. Batch results (<see cref="FileClassification.Windows"/>) are already
/// clones.
/// </para>
/// </summary>
public sealed class WindowClassification
{
    private readonly ScoredClass[] _top;
    private readonly float[] _scores;
    private int _count;
    private bool _hasScores;

    internal WindowClassification(string inputName, ClassLabels labels, int topCapacity, int classCount, bool includeScores)
    {
        InputName = inputName;
        Labels = labels;
        _top = new ScoredClass[topCapacity];
        _scores = includeScores ? new float[classCount] : [];
    }

    private WindowClassification(WindowClassification from)
    {
        InputName = from.InputName;
        Labels = from.Labels;
        Window = from.Window;
        _top = from.Classes.ToArray();
        _count = _top.Length;
        _scores = from.Scores.ToArray();
        _hasScores = from._hasScores;
    }

    /// <summary>The input's name (a path, or the name given to the stream or samples).</summary>
    public string InputName { get; }

    /// <summary>Index, first sample and time range (seconds) of the window.</summary>
    public AudioWindow Window { get; private set; }

    public int Index => Window.Index;

    public double StartSeconds => Window.StartSeconds;

    /// <summary>Where the real (non-padding) audio in this window ends.</summary>
    public double EndSeconds => Window.EndSeconds;

    /// <summary>The best classes, best first (ties by lower index), after the threshold and filter.</summary>
    public ReadOnlyMemory<ScoredClass> Classes => _top.AsMemory(0, _count);

    /// <summary>Every class's score (index = class) when <see cref="ClassificationOptions.IncludeAllScores"/> is set; empty otherwise.</summary>
    public ReadOnlyMemory<float> Scores => _hasScores ? _scores : ReadOnlyMemory<float>.Empty;

    /// <summary>The classifier's labels (names, and AudioSet mids with a class map).</summary>
    public ClassLabels Labels { get; }

    /// <summary>The display name of class <paramref name="index"/>.</summary>
    public string LabelOf(int index) => Labels.NameOf(index);

    /// <summary>An independent copy that stays valid after the enumeration moves on (allocates).</summary>
    public WindowClassification Clone() => new(this);

    internal void Fill(in AudioWindow window, ReadOnlySpan<float> scores, float threshold, ClassFilter? filter)
    {
        Window = window;
        _count = TopK.Select(scores, _top, threshold, filter);
        if (_scores.Length == scores.Length)
        {
            scores.CopyTo(_scores);
            _hasScores = true;
        }
    }

    public override string ToString()
    {
        var first = _count > 0 ? $"{LabelOf(_top[0].Index)} {_top[0].Score}" : "no class";
        return $"window {Index} [{StartSeconds:0.000}s - {EndSeconds:0.000}s]: {first}";
    }
}
