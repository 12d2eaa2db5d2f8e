namespace Yamnet.Cli.Output;

/// <summary>Number text shared by the text and CSV formats (culture-invariant, exact for scores).</summary>
public static class ScoreText
{
    /// <summary>The float's shortest round-trip text via its double value (the seed's format: 0.80078125, 0.5).</summary>
    public static string Format(float score) => ((double)score).ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    public static string Seconds(double s) => s.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
}
