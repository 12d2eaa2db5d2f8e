namespace Yamnet.Plotting;

/// <summary>
/// Collects what a picture needs while a file is classified window by window, in memory that does
/// not grow with the file: at most <c>maxColumns</c> spectrogram and score columns. Columns start
/// fine (one per log-mel frame, one per window) and, whenever a recording outgrows them, adjacent
/// pairs are merged and the resolution halves, so any length fits in the width.
/// </summary>
public sealed class SoundPictureRecorder
{
    private readonly int _bands, _frames, _classes, _maxColumns;
    private readonly double _frameSeconds, _hopSeconds;
    private readonly double[] _melSum;   // [column * bands + band]
    private readonly int[] _melCount;
    private readonly float[] _scoreMax;  // [column * classes + class]
    private readonly double[] _classSum;
    private double _melColumnSeconds;
    private int _melColumns;
    private int _windowsPerColumn = 1;
    private int _scoreColumns;
    private int _windows;
    private double _endSeconds;

    /// <param name="bands">Mel bands per log-mel frame (YAMNet: 64).</param>
    /// <param name="frames">Frames per window's patch (YAMNet: 96).</param>
    /// <param name="windowSeconds">Window duration (YAMNet: 0.975 s).</param>
    /// <param name="hopSeconds">Time between window starts.</param>
    /// <param name="classes">Scores per window.</param>
    /// <param name="maxColumns">Columns at most (the plot's width in pixels).</param>
    public SoundPictureRecorder(int bands, int frames, double windowSeconds, double hopSeconds, int classes, int maxColumns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bands);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxColumns, 2);
        if (!(windowSeconds > 0) || !(hopSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(windowSeconds), "window and hop must be positive");
        (_bands, _frames, _classes, _maxColumns) = (bands, frames, classes, maxColumns);
        _frameSeconds = windowSeconds / frames;
        _hopSeconds = hopSeconds;
        _melColumnSeconds = _frameSeconds;
        _melSum = new double[maxColumns * bands];
        _melCount = new int[maxColumns];
        _scoreMax = new float[maxColumns * classes];
        _classSum = new double[classes];
    }

    public int Windows => _windows;

    /// <summary>Adds one window: its start time, its log-mel patch (frames × bands) and its scores.</summary>
    public void Add(double startSeconds, double endSeconds, ReadOnlySpan<float> logMel, ReadOnlySpan<float> scores)
    {
        if (logMel.Length != _frames * _bands) throw new ArgumentException($"expected {_frames}×{_bands} log-mel values, got {logMel.Length}", nameof(logMel));
        if (scores.Length != _classes) throw new ArgumentException($"expected {_classes} scores, got {scores.Length}", nameof(scores));
        _endSeconds = Math.Max(_endSeconds, endSeconds);
        // Log-mel: every frame of the patch lands in the column of its time (overlapping windows average).
        for (int f = 0; f < _frames; f++)
        {
            double t = startSeconds + f * _frameSeconds;
            if (t >= endSeconds && f > 0) break; // the zero padding past the end of the file is not drawn
            int column = (int)(t / _melColumnSeconds);
            while (column >= _maxColumns)
            {
                HalveMel();
                column = (int)(t / _melColumnSeconds);
            }
            _melColumns = Math.Max(_melColumns, column + 1);
            var row = logMel.Slice(f * _bands, _bands);
            var sum = _melSum.AsSpan(column * _bands, _bands);
            for (int b = 0; b < _bands; b++) sum[b] += row[b];
            _melCount[column]++;
        }
        // Scores: window k goes to column k / windowsPerColumn, keeping each class's max.
        int c = _windows / _windowsPerColumn;
        if (c >= _maxColumns)
        {
            HalveScores();
            c = _windows / _windowsPerColumn;
        }
        var max = _scoreMax.AsSpan(c * _classes, _classes);
        bool first = _windows % _windowsPerColumn == 0;
        for (int i = 0; i < _classes; i++)
        {
            max[i] = first ? scores[i] : Math.Max(max[i], scores[i]);
            _classSum[i] += scores[i];
        }
        _scoreColumns = c + 1;
        _windows++;
    }

    /// <summary>The reduced picture: the <paramref name="topClasses"/> classes with the highest mean score, best first.</summary>
    public SoundPictureData Build(string title, int topClasses, Func<int, string> nameOf, IReadOnlyList<PictureEvent>? events)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topClasses);
        if (_windows == 0) throw new InvalidOperationException("no window was added");
        var mel = new double[_bands, _melColumns];
        for (int c = 0; c < _melColumns; c++)
        {
            // A column no frame fell into (frame and column edges drift apart) repeats its left neighbour.
            int from = c;
            while (from > 0 && _melCount[from] == 0) from--;
            for (int b = 0; b < _bands; b++)
                mel[b, c] = _melCount[from] == 0 ? 0 : _melSum[from * _bands + b] / _melCount[from];
        }
        int n = Math.Min(topClasses, _classes);
        var order = Enumerable.Range(0, _classes).OrderByDescending(i => _classSum[i]).ThenBy(i => i).Take(n).ToArray();
        var scores = new double[n, _scoreColumns];
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < _scoreColumns; c++) scores[r, c] = _scoreMax[c * _classes + order[r]];
        }
        return new SoundPictureData(title, mel, _melColumns * _melColumnSeconds, scores, order.Select(nameOf).ToArray(),
            Math.Min(_scoreColumns * _windowsPerColumn * _hopSeconds, Math.Max(_endSeconds, _hopSeconds)), events)
        { Windows = _windows };
    }

    private void HalveMel()
    {
        int half = (_melColumns + 1) / 2;
        for (int c = 0; c < half; c++)
        {
            for (int b = 0; b < _bands; b++)
            {
                double s = _melSum[2 * c * _bands + b] + (2 * c + 1 < _maxColumns ? _melSum[(2 * c + 1) * _bands + b] : 0);
                _melSum[c * _bands + b] = s;
            }
            _melCount[c] = _melCount[2 * c] + (2 * c + 1 < _maxColumns ? _melCount[2 * c + 1] : 0);
        }
        Array.Clear(_melSum, half * _bands, _melSum.Length - half * _bands);
        Array.Clear(_melCount, half, _melCount.Length - half);
        _melColumns = half;
        _melColumnSeconds *= 2;
    }

    private void HalveScores()
    {
        int half = (_scoreColumns + 1) / 2;
        for (int c = 0; c < half; c++)
        {
            for (int i = 0; i < _classes; i++)
            {
                float a = _scoreMax[2 * c * _classes + i];
                float b = 2 * c + 1 < _scoreColumns ? _scoreMax[(2 * c + 1) * _classes + i] : a;
                _scoreMax[c * _classes + i] = Math.Max(a, b);
            }
        }
        _scoreColumns = half;
        _windowsPerColumn *= 2;
    }
}
