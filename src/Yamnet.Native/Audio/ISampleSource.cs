namespace Yamnet.Audio;

/// <summary>
/// A pull source of mono float samples at a fixed rate (the model's input format).
/// </summary>
public interface ISampleSource : IDisposable
{
    /// <summary>Samples per second of what <see cref="Read"/> returns.</summary>
    int SampleRate { get; }

    /// <summary>
    /// Writes up to <c>destination.Length</c> samples and returns how many were written. It may return
    /// fewer than asked before the end; it returns 0 only at the end of the audio (or for an empty destination).
    /// </summary>
    int Read(Span<float> destination);
}
