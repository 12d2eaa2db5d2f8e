namespace Yamnet.Audio;

/// <summary>One analysis window: its index, first sample, and the span of real (non-padding) audio it covers.</summary>
/// <param name="Index">Window number k, from 0.</param>
/// <param name="StartSample">k · hop.</param>
/// <param name="StartSeconds">StartSample / rate.</param>
/// <param name="EndSeconds">min(StartSample + window, N) / rate: where the real audio in this window ends.</param>
public readonly record struct AudioWindow(int Index, long StartSample, double StartSeconds, double EndSeconds);

/// <summary>
/// Cuts a sample stream into fixed-length windows with a hop, writing each window straight into the
/// caller's span (typically the model's input tensor). Window k starts at k·hop; samples past the end
/// are zeros; there are max(1, ceil((N − W)/hop) + 1) windows for N ≥ 1 samples. It streams without
/// knowing N: window 0 exists if the source has any sample, and window k ≥ 1 exists iff at least one
/// sample lies beyond the end of window k − 1. State is the W − hop overlap (at most one window),
/// allocated once, so memory is flat for any duration and steady state does not allocate.
/// </summary>
public sealed class WindowFramer
{
    private readonly ISampleSource _source;
    private readonly float[] _overlap; // last W - hop samples of the previous window
    private int _nextIndex;
    private long _samplesRead;
    private bool _sourceEnded;
    private bool _done;

    public WindowFramer(ISampleSource source, int windowLength, int hop)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hop);
        if (hop > windowLength)
        {
            // With hop > W the samples between windows would be skipped silently; nothing in the
            // project needs that, so it is refused rather than half-supported.
            throw new ArgumentOutOfRangeException(nameof(hop), hop, $"Hop ({hop}) must not exceed the window length ({windowLength}): samples between windows would be skipped.");
        }
        _source = source;
        WindowLength = windowLength;
        Hop = hop;
        _overlap = new float[windowLength - hop];
    }

    public int WindowLength { get; }

    public int Hop { get; }

    public int SampleRate => _source.SampleRate;

    /// <summary>Samples pulled from the source so far (N once the last window has been written).</summary>
    public long SamplesRead => _samplesRead;

    /// <summary>Windows written so far.</summary>
    public int WindowsWritten => _nextIndex;

    /// <summary>
    /// Writes the next window into <paramref name="destination"/> (length must equal the window length).
    /// Returns false, leaving <paramref name="destination"/> untouched, when there are no more windows.
    /// </summary>
    public bool TryWriteNext(Span<float> destination, out AudioWindow window)
    {
        if (destination.Length != WindowLength)
            throw new ArgumentException($"Destination length {destination.Length} must equal the window length {WindowLength}.", nameof(destination));
        window = default;
        if (_done) return false;

        int index = _nextIndex;
        long start = (long)index * Hop;
        if (index == 0)
        {
            int got = Fill(destination);
            if (got == 0) return Finish();
            destination[got..].Clear();
        }
        else
        {
            // Only the hop's worth of new samples decides whether window k exists, so read them first
            // (into their final place) and touch the rest of the destination only when it does.
            int keep = _overlap.Length;
            int got = Fill(destination[keep..]);
            if (got == 0) return Finish();
            destination[(keep + got)..].Clear();
            _overlap.CopyTo(destination);
        }

        if (_overlap.Length > 0) destination[Hop..].CopyTo(_overlap);
        _nextIndex = index + 1;
        double rate = _source.SampleRate;
        window = new AudioWindow(index, start, start / rate, Math.Min(start + WindowLength, _samplesRead) / rate);
        return true;
    }

    /// <summary>Number of windows for <paramref name="totalSamples"/>: max(1, ceil((N − W)/hop) + 1).</summary>
    public static long WindowCount(long totalSamples, int windowLength, int hop)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalSamples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hop);
        if (totalSamples <= windowLength) return 1;
        long beyond = totalSamples - windowLength;
        return (beyond + hop - 1) / hop + 1;
    }

    private bool Finish()
    {
        _done = true;
        return false;
    }

    /// <summary>Reads until <paramref name="span"/> is full or the source ends; never reads again after an end.</summary>
    private int Fill(Span<float> span)
    {
        int total = 0;
        while (total < span.Length && !_sourceEnded)
        {
            int n = _source.Read(span[total..]);
            if (n <= 0)
            {
                _sourceEnded = true;
                break;
            }
            total += n;
        }
        _samplesRead += total;
        return total;
    }
}
