namespace Yamnet.Classification;

/// <summary>
/// One window's results: the scores and, when the classifier was loaded with extra outputs, the
/// embedding and the log-mel patch. With one worker they are read straight from the session's
/// output tensors (the embedding is dequantized on first read); with several, from the copy the
/// worker made of them (see <c>WindowOutputSlots</c>). Valid only during the callback that received it.
/// </summary>
public readonly ref struct WindowOutputs
{
    private readonly ClassifierSession? _session;
    private readonly WindowOutputSlots? _slots;
    private readonly int _slot;

    internal WindowOutputs(ClassifierSession session) => _session = session;

    internal WindowOutputs(WindowOutputSlots slots, int slot)
    {
        _slots = slots;
        _slot = slot;
    }

    /// <summary>The window's scores (one per class).</summary>
    public ReadOnlySpan<float> Scores => _session is not null ? _session.Scores : _slots!.Scores(_slot);

    /// <summary>The window's embedding (see <see cref="ClassifierSession.Embedding"/>).</summary>
    public ReadOnlySpan<float> Embedding => _session is not null ? _session.Embedding : _slots!.Embedding(_slot);

    /// <summary>The window's log-mel patch (see <see cref="ClassifierSession.LogMelSpectrogram"/>).</summary>
    public ReadOnlySpan<float> LogMelSpectrogram => _session is not null ? _session.LogMelSpectrogram : _slots!.LogMelSpectrogram(_slot);
}
