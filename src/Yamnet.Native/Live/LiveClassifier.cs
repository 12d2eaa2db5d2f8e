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
    /// <remarks>
    /// Cancellation is checked before each window: cancelled during window k's callback, no later
    /// window is run or delivered (windows still queued are discarded), and the call ends with
    /// <see cref="OperationCanceledException"/>, never a normal return. A caller that wants a stop to
    /// be a normal end with statistics (a CLI's Ctrl-C summary, a service) drives a
    /// <see cref="LiveWindowPump"/> itself: its token means "stop and report".
    /// </remarks>
    /// <exception cref="ArgumentException">The source's rate is not the classifier's.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
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
        var stats = pump.Run(source, (in AudioWindow window, ReadOnlySpan<float> samples) =>
        {
            // Thrown here, the pump stops capture and rethrows it once its thread has wound down.
            cancellationToken.ThrowIfCancellationRequested();
            samples.CopyTo(session.Input);
            session.Run();
            onResult(window, session.Scores);
        }, cancellationToken);
        // The pump returns normally when the stop found its queue empty.
        cancellationToken.ThrowIfCancellationRequested();
        return stats;
    }
}
