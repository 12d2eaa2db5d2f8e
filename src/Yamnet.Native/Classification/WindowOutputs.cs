namespace Yamnet.Classification;

/// <summary>
/// One window's results as a session holds them: the scores and, when the classifier was loaded
/// with extra outputs, the embedding and the log-mel patch. Each is read only when asked for (the
/// embedding is dequantized on first read). Valid only during the callback that received it.
/// </summary>
public readonly ref struct WindowOutputs
{
    private readonly ClassifierSession _session;

    internal WindowOutputs(ClassifierSession session) => _session = session;

    /// <summary>The window's scores (one per class).</summary>
    public ReadOnlySpan<float> Scores => _session.Scores;

    /// <summary>The window's embedding (see <see cref="ClassifierSession.Embedding"/>).</summary>
    public ReadOnlySpan<float> Embedding => _session.Embedding;

    /// <summary>The window's log-mel patch (see <see cref="ClassifierSession.LogMelSpectrogram"/>).</summary>
    public ReadOnlySpan<float> LogMelSpectrogram => _session.LogMelSpectrogram;
}
