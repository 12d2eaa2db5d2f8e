namespace Yamnet.Live;

/// <summary>
/// A live source of mono float samples at a fixed rate (the model's): a capture device or a pipe.
/// Unlike <see cref="Audio.ISampleSource"/> its reads block on the outside world, so they take a
/// cancellation token and must return promptly (with 0) once it is cancelled.
/// </summary>
public interface ILiveSource : IDisposable
{
    /// <summary>What the results are labelled with (<c>stdin</c>, <c>alsa:default</c>).</summary>
    string Name { get; }

    /// <summary>Samples per second of what <see cref="Read"/> returns.</summary>
    int SampleRate { get; }

    /// <summary>Device overruns (xruns) recovered so far: audio the device lost before it could be read.</summary>
    long Overruns { get; }

    /// <summary>
    /// Blocks until at least one sample is available and writes up to <c>destination.Length</c> samples.
    /// Returns 0 at the end of the input, or once <paramref name="cancellationToken"/> is cancelled
    /// (the caller tells the two apart by the token). Device and format failures throw an
    /// <see cref="System.IO.IOException"/> subtype with a one-line message.
    /// </summary>
    int Read(Span<float> destination, CancellationToken cancellationToken);
}
