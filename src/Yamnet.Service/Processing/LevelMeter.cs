namespace Yamnet.Service.Processing;

/// <summary>
/// Signal level of a window: RMS of the samples (in [-1, 1]) and the same in dBFS, relative to a
/// full-scale square wave (RMS 1 = 0 dBFS; a full-scale sine is −3 dBFS). Digital silence is
/// <see cref="SilenceDbfs"/> rather than −∞, so it prints and compares.
/// </summary>
public static class LevelMeter
{
    public const double SilenceDbfs = -200;

    public static double Rms(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty) return 0;
        double sum = 0;
        foreach (float s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / samples.Length);
    }

    public static double ToDbfs(double rms) => rms > 0 ? Math.Max(SilenceDbfs, 20 * Math.Log10(rms)) : SilenceDbfs;
}
