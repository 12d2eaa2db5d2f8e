namespace Yamnet.Events;

/// <summary>
/// Receives an <see cref="EventDetector"/>'s reports, on the thread that called
/// <see cref="EventDetector.Push"/> or <see cref="EventDetector.Flush(double?)"/>. Every event is
/// opened exactly once and closed exactly once, opening first; events of different labels may
/// interleave.
/// </summary>
public interface ISoundEventSink
{
    /// <summary>An event is established: its score reached the on threshold and it lasted the minimum duration.</summary>
    void Opened(in SoundEvent soundEvent);

    /// <summary>An event ended (score under the off threshold for longer than the merge gap, or a flush).</summary>
    void Closed(in SoundEvent soundEvent);
}
