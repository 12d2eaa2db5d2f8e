using Yamnet.Audio;

namespace Yamnet.Events;

/// <summary>
/// The time convention of events: which stretch of time each window stands for.
/// <para>
/// Window k covers samples [k·hop, k·hop + W), so consecutive windows overlap when hop &lt; W. For
/// events, window k stands for its <b>central hop</b> only,
/// [k·hop + (W − hop)/2, k·hop + (W + hop)/2), so adjacent windows tile time without overlap or gap;
/// window 0 extends back to 0 s and the last window extends to the end of the input (the time given
/// to <see cref="EventDetector.Flush(double?)"/>, by default where its real audio ends). A window's
/// stretch never passes the end of the audio it holds (a zero-padded last window). With hop = W a
/// window stands for itself. An event's start is the start of its first window's stretch, its end
/// the end of its last window's.
/// </para>
/// </summary>
/// <param name="WindowLength">W, in samples.</param>
/// <param name="Hop">Samples between window starts (1 ≤ hop ≤ W).</param>
/// <param name="SampleRate">Samples per second.</param>
public sealed record EventTimeline(int WindowLength, int Hop, int SampleRate)
{
    /// <exception cref="ArgumentOutOfRangeException">A non-positive value, or hop &gt; W.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(WindowLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Hop);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SampleRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Hop, WindowLength);
    }

    /// <summary>Where window <paramref name="window"/>'s stretch begins, in seconds (0 for window 0).</summary>
    public double Begin(in AudioWindow window)
        => window.Index == 0 ? 0 : (window.StartSample + (WindowLength - Hop) / 2.0) / SampleRate;

    /// <summary>Where its stretch ends, in seconds, before any extension of the last window to the end of the input.</summary>
    public double End(in AudioWindow window)
        => Math.Max(Begin(window), Math.Min((window.StartSample + (WindowLength + Hop) / 2.0) / SampleRate, window.EndSeconds));
}
