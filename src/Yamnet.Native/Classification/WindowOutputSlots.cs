using System.Buffers;
using Yamnet.Embeddings;

namespace Yamnet.Classification;

/// <summary>
/// The outputs of windows that a <see cref="WindowPipeline"/> worker has run but the calling thread
/// has not delivered yet, one slot per window in flight. A worker copies its interpreter's outputs
/// here right after the run (scores: 521 floats, 2 KB; the embedding and log-mel patch only when the
/// classifier was loaded with them) so that the same interpreter can take the next window at once,
/// instead of waiting for its turn in window order. Why not one interpreter per window in flight, as
/// before: cycling each worker through three interpreters cost 7–13 % more CPU per window than
/// keeping one hot (10-minute file, 2 workers, TFLite 2.9, <c>user</c> time 3.21–3.42 s with six
/// interpreters against 3.00 s with two and 2.98 s for one worker; issue 16), which no amount of
/// buffering gets back. The copy is one <c>memcpy</c> of 2 KB per window. Buffers come from the
/// shared array pool and go back on <see cref="Dispose"/>: nothing is allocated per window.
/// </summary>
internal sealed class WindowOutputSlots : IDisposable
{
    private readonly ExtraOutputLayout? _layout;
    private readonly int _classes, _embedding, _logMel, _stride;
    private float[]? _buffer;

    internal WindowOutputSlots(AudioClassifier classifier, int slots)
    {
        _layout = classifier.Extras;
        _classes = classifier.ClassCount;
        _embedding = _layout is { EmbeddingOutput: >= 0 } ? _layout.EmbeddingLength : 0;
        _logMel = _layout is { LogMelOutput: >= 0 } ? _layout.LogMelFrames * _layout.LogMelBands : 0;
        _stride = _classes + _embedding + _logMel;
        _buffer = ArrayPool<float>.Shared.Rent(checked(_stride * slots));
    }

    private float[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(WindowOutputSlots));

    /// <summary>Copies what <paramref name="session"/>'s last run produced into <paramref name="slot"/>.</summary>
    internal void CopyFrom(int slot, ClassifierSession session)
    {
        var row = Buffer.AsSpan(slot * _stride, _stride);
        session.Scores.CopyTo(row[.._classes]);
        if (_embedding > 0) session.Embedding.CopyTo(row.Slice(_classes, _embedding));
        if (_logMel > 0) session.LogMelSpectrogram.CopyTo(row.Slice(_classes + _embedding, _logMel));
    }

    internal ReadOnlySpan<float> Scores(int slot) => Buffer.AsSpan(slot * _stride, _classes);

    internal ReadOnlySpan<float> Embedding(int slot) => _embedding > 0
        ? Buffer.AsSpan(slot * _stride + _classes, _embedding)
        : throw (_layout is null ? ClassifierSession.NoExtras() : SessionExtras.NoEmbedding());

    internal ReadOnlySpan<float> LogMelSpectrogram(int slot) => _logMel > 0
        ? Buffer.AsSpan(slot * _stride + _classes + _embedding, _logMel)
        : throw (_layout is null ? ClassifierSession.NoExtras() : SessionExtras.NoLogMel());

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<float>.Shared.Return(buffer);
    }
}
