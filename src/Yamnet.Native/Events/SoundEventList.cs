namespace Yamnet.Events;

/// <summary>An <see cref="ISoundEventSink"/> that keeps closed events, for a whole file.</summary>
public sealed class SoundEventList : ISoundEventSink
{
    private readonly List<SoundEvent> _events = [];

    /// <summary>Closed events, in the order they closed.</summary>
    public IReadOnlyList<SoundEvent> Events => _events;

    /// <summary>Closed events by start time, then class index (groups last), then label.</summary>
    public List<SoundEvent> Sorted()
        => _events.OrderBy(e => e.StartSeconds).ThenBy(e => e.ClassIndex < 0 ? int.MaxValue : e.ClassIndex).ThenBy(e => e.Label, StringComparer.Ordinal).ToList();

    public void Opened(in SoundEvent soundEvent)
    {
    }

    public void Closed(in SoundEvent soundEvent) => _events.Add(soundEvent);

    public void Clear() => _events.Clear();
}
