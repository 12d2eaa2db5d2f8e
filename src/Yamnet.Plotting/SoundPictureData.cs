namespace Yamnet.Plotting;

/// <summary>
/// What a sound picture shows, already reduced to at most one column per pixel: the log-mel
/// spectrogram (bands × columns, mean over the frames of each column), the top classes' scores
/// (classes × columns, max over the windows of each column) with their names, and the events.
/// </summary>
/// <param name="Title">The picture's title (file name and model).</param>
/// <param name="LogMel">[band, column], band 0 the lowest.</param>
/// <param name="LogMelSeconds">Time the spectrogram columns span, from 0.</param>
/// <param name="Scores">[row, column]: row i is class <c>ClassNames[i]</c>, the best class first.</param>
/// <param name="ClassNames">The names of the score rows.</param>
/// <param name="ScoresSeconds">Time the score columns span, from 0.</param>
/// <param name="Events">Events for the label track, or null.</param>
public sealed record SoundPictureData(
    string Title,
    double[,] LogMel,
    double LogMelSeconds,
    double[,] Scores,
    IReadOnlyList<string> ClassNames,
    double ScoresSeconds,
    IReadOnlyList<PictureEvent>? Events)
{
    /// <summary>Windows analysed (before aggregation).</summary>
    public int Windows { get; init; }
}
