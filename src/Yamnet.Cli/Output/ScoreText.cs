using System.Globalization;

namespace Yamnet.Cli.Output;

/// <summary>Number text shared by the text and CSV formats (culture-invariant, exact for scores).</summary>
public static class ScoreText
{
    /// <summary>The float's shortest round-trip text via its double value (the seed's format: 0.80078125, 0.5).</summary>
    public static string Format(float score) => ((double)score).ToString("R", CultureInfo.InvariantCulture);

    public static string Seconds(double s) => s.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary><see cref="Format"/> written straight into the writer (no string per score: a long recording has thousands).</summary>
    public static void WriteScore(TextWriter output, float score)
    {
        Span<char> text = stackalloc char[32];
        if (((double)score).TryFormat(text, out int n, "R", CultureInfo.InvariantCulture)) output.Write(text[..n]);
        else output.Write(Format(score));
    }

    /// <summary><see cref="Seconds"/> written straight into the writer.</summary>
    public static void WriteSeconds(TextWriter output, double s)
    {
        Span<char> text = stackalloc char[32];
        if (s.TryFormat(text, out int n, "F3", CultureInfo.InvariantCulture)) output.Write(text[..n]);
        else output.Write(Seconds(s));
    }

    /// <summary>A non-negative count or index written straight into the writer.</summary>
    public static void WriteInteger(TextWriter output, long value)
    {
        Span<char> text = stackalloc char[20];
        if (value.TryFormat(text, out int n, default, CultureInfo.InvariantCulture)) output.Write(text[..n]);
        else output.Write(value.ToString(CultureInfo.InvariantCulture));
    }
}
