using System.Globalization;

namespace Yamnet.Audio;

/// <summary>
/// Window placement: the hop between window starts, given in samples (<c>7800</c>), seconds
/// (<c>0.4875s</c>), milliseconds (<c>487.5ms</c>) or as <c>window</c> (hop = W: non-overlapping
/// windows, MediaPipe's clip mode and Frigate's placement). Any hop from 1 sample to W is allowed; a
/// larger one would skip audio between windows and is refused.
/// </summary>
public static class WindowHop
{
    /// <summary>The hop in samples for <paramref name="text"/> at <paramref name="sampleRate"/>, for windows of <paramref name="windowLength"/> samples.</summary>
    /// <exception cref="FormatException">Not a hop, or outside 1..W samples (message names both).</exception>
    public static int Parse(string text, int windowLength, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        string t = text.Trim().ToLowerInvariant();
        if (t == "window") return windowLength;
        double samples;
        if (t.EndsWith("ms", StringComparison.Ordinal)) samples = Number(t[..^2], text) * sampleRate / 1000.0;
        else if (t.EndsWith('s')) samples = Number(t[..^1], text) * sampleRate;
        else if (long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long n)) samples = n;
        else throw new FormatException($"hop '{text}': use a number of samples (7800), seconds (0.4875s), milliseconds (487.5ms) or 'window'");
        double rounded = Math.Round(samples, MidpointRounding.AwayFromZero);
        if (!(rounded >= 1 && rounded <= windowLength))
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"hop '{text}' is {rounded} samples: it must be from 1 to the window length ({windowLength} samples, {windowLength / (double)sampleRate:0.####} s)"));
        }
        return (int)rounded;
    }

    private static double Number(string text, string original)
    {
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new FormatException($"hop '{original}': '{text}' is not a non-negative number");
        return v;
    }
}
