using Yamnet.Audio;
using Yamnet.Classification;

namespace Yamnet.Live;

/// <summary>
/// Classifies a live source in real time: a <see cref="LiveWindowPump"/> captures and frames on its own
/// thread, and the calling thread writes each window straight into the session's native input tensor,
/// runs the model and hands the native scores to a callback. Window length, hop and rate come from the
/// classifier; nothing is fixed to YAMNet.
/// </summary>
public static class LiveClassifier
{
    /// <summary>
    /// Runs until the source ends, <paramref name="cancellationToken"/> is cancelled, or a side fails.
    /// <paramref name="onResult"/> runs on the calling thread, in window order; its span is the
    /// session's output tensor and is valid only during the call.
    /// </summary>
    /// <exception cref="ArgumentException">The source's rate is not the classifier's.</exception>
    public static LiveStats Run(ClassifierSession session, ILiveSource source, int hop, WindowScoresCallback onResult,
        LivePumpOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(onResult);
        var classifier = session.Classifier;
        if (source.SampleRate != classifier.SampleRate)
            throw new ArgumentException($"the source delivers {source.SampleRate} Hz but the model expects {classifier.SampleRate} Hz", nameof(source));
        var pump = new LiveWindowPump(classifier.WindowLength, hop, options);
        return pump.Run(source, (in AudioWindow window, ReadOnlySpan<float> samples) =>
        {
            samples.CopyTo(session.Input);
            session.Run();
            onResult(window, session.Scores);
        }, cancellationToken);
    }
}
