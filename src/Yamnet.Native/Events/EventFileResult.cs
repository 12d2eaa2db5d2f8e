namespace Yamnet.Events;

/// <summary>The events found in one input, or why it failed.</summary>
/// <param name="Path">The input as given.</param>
/// <param name="Events">Closed events by start time (empty on failure).</param>
/// <param name="DurationSeconds">Audio decoded, in seconds.</param>
/// <param name="Windows">Windows classified.</param>
/// <param name="Error">One line, or null on success.</param>
public sealed record EventFileResult(string Path, IReadOnlyList<SoundEvent> Events, double DurationSeconds, int Windows, string? Error)
{
    public bool Failed => Error is not null;

    /// <summary>
    /// True when the batch was stopped (its cancellation token) while this input was being analysed:
    /// <see cref="Events"/> holds what was found up to <see cref="DurationSeconds"/> (open events closed
    /// there) and <see cref="Error"/> says where it was cut. Such a result is never a finished one.
    /// </summary>
    public bool Interrupted { get; init; }
}
