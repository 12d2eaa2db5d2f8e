using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Live;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Cancellation;

/// <summary>
/// Issue 11: a token is honoured within one window on every path and surfaces only as
/// <see cref="OperationCanceledException"/>. Each test cancels from inside the callback of window
/// <see cref="K"/> (no timers, no sleeps) and asserts that no later window was delivered.
/// </summary>
public sealed class CancellationTests
{
    private const int K = 3;

    private static readonly Lazy<AudioClassifier> s_classifier = new(() => AudioClassifier.Load(TestAssets.YamnetModel));

    private static AudioClassifier Classifier => s_classifier.Value;

    /// <summary>40 s of deterministic noise: about 80 windows at hop 7800, far more than any test should run.</summary>
    private static ArraySampleSource LongSource()
    {
        var rng = new Random(11);
        var samples = new float[40 * 16000];
        for (int i = 0; i < samples.Length; i++) samples[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
        return new ArraySampleSource(samples, 16000);
    }

    /// <summary>Records delivered window indices and cancels <paramref name="cts"/> while window K is delivered.</summary>
    private static WindowScoresCallback CancelAtK(CancellationTokenSource cts, List<int> delivered) => (in AudioWindow window, ReadOnlySpan<float> scores) =>
    {
        delivered.Add(window.Index);
        if (window.Index == K) cts.Cancel();
    };

    [Fact]
    public void FileAnalyzer_stops_before_the_window_after_the_cancelling_callback()
    {
        using var cts = new CancellationTokenSource();
        var delivered = new List<int>();
        using var session = Classifier.RentSession();
        var act = () => FileAnalyzer.Analyze(session, LongSource(), 7800, CancelAtK(cts, delivered), cancellationToken: cts.Token);
        act.Should().Throw<OperationCanceledException>();
        delivered.Should().Equal(Enumerable.Range(0, K + 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void WindowPipeline_delivers_no_window_after_the_cancelling_callback(int workers)
    {
        using var cts = new CancellationTokenSource();
        var delivered = new List<int>();
        var pipeline = new WindowPipeline(Classifier, workers);
        var act = () => pipeline.Analyze(LongSource(), 7800, CancelAtK(cts, delivered), cts.Token);
        act.Should().Throw<OperationCanceledException>();
        // Several windows may already have run on other sessions; none of them is handed out.
        delivered.Should().Equal(Enumerable.Range(0, K + 1));
    }

    [Fact]
    public void LiveClassifier_throws_instead_of_returning_and_consumes_nothing_after_the_cancelling_callback()
    {
        using var cts = new CancellationTokenSource();
        var delivered = new List<int>();
        using var session = Classifier.RentSession();
        using var source = new SampleSourceLiveSource(LongSource(), "noise");
        // Block, not Drop: the capture side is far faster than inference, so with Drop the indices would have gaps.
        var options = new LivePumpOptions { Overflow = OverflowPolicy.Block, QueueCapacity = 4 };
        var act = () => LiveClassifier.Run(session, source, 7800, CancelAtK(cts, delivered), options, cts.Token);
        act.Should().Throw<OperationCanceledException>();
        delivered.Should().Equal(Enumerable.Range(0, K + 1), "the windows still queued when the token fired are not run");
    }

    [Fact]
    public void LiveClassifier_with_a_cancelled_token_runs_no_window_and_throws()
    {
        var delivered = new List<int>();
        using var session = Classifier.RentSession();
        using var source = new SampleSourceLiveSource(LongSource(), "noise");
        var act = () => LiveClassifier.Run(session, source, 7800, (in AudioWindow w, ReadOnlySpan<float> _) => delivered.Add(w.Index),
            new LivePumpOptions { Overflow = OverflowPolicy.Block }, new CancellationToken(canceled: true));
        act.Should().Throw<OperationCanceledException>();
        delivered.Should().BeEmpty();
    }

    [Fact]
    public void Model_loading_honours_a_cancelled_token_before_any_work()
    {
        var token = new CancellationToken(canceled: true);
        FluentActions.Invoking(() => TfLiteModel.FromFile(TestAssets.YamnetModel, cancellationToken: token)).Should().Throw<OperationCanceledException>();
        FluentActions.Invoking(() => AudioClassifier.Load(TestAssets.YamnetModel, cancellationToken: token)).Should().Throw<OperationCanceledException>();
        // Cancellation wins over what the file would have caused: it never surfaces as a model error.
        FluentActions.Invoking(() => TfLiteModel.FromFile(TestAssets.Meow, cancellationToken: token)).Should().Throw<OperationCanceledException>();
    }
}
