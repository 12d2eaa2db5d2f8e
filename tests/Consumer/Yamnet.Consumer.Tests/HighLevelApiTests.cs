using Yamnet.Analysis;
using Yamnet.Audio;
using Yamnet.Classification;

namespace Yamnet.Consumer.Tests;

/// <summary>Issue 11, points 2 and 3, through the package: async streams, cancellation, batches, leases.</summary>
public sealed class HighLevelApiTests
{
    private static string Shared => Environment.GetEnvironmentVariable("YAMNET_SHARED_DIR")!;

    private static string Model => Path.Combine(Shared, "models", "yamnet.tflite");

    private static string Meow => Path.Combine(Shared, "audio", "meow_16k.wav");

    [Fact]
    public async Task A_stream_cancelled_inside_window_2_yields_no_later_window_and_throws_OperationCanceled()
    {
        using var classifier = AudioClassifier.Load(Model);
        using var cts = new CancellationTokenSource();
        await using var stream = File.OpenRead(Meow);
        var seen = new List<int>();
        var act = async () =>
        {
            await foreach (var w in classifier.ClassifyAsync(stream, cancellationToken: cts.Token))
            {
                seen.Add(w.Index);
                if (w.Index == 2) cts.Cancel();
            }
        };
        await act.Should().ThrowAsync<OperationCanceledException>();
        seen.Should().Equal(0, 1, 2);
    }

    [Fact]
    public void The_single_session_loop_honours_its_token_too()
    {
        using var classifier = AudioClassifier.Load(Model);
        using var cts = new CancellationTokenSource();
        using var session = classifier.RentSession();
        using var reader = AudioReader.Open(Meow, classifier.SampleRate);
        var seen = new List<int>();
        FluentActions.Invoking(() => FileAnalyzer.Analyze(session, reader, classifier.WindowLength / 2, (in AudioWindow w, ReadOnlySpan<float> _) =>
        {
            seen.Add(w.Index);
            if (w.Index == 1) cts.Cancel();
        }, cancellationToken: cts.Token)).Should().Throw<OperationCanceledException>();
        seen.Should().Equal(0, 1);
    }

    [Fact]
    public void A_batch_keeps_input_order_and_reports_a_bad_input_without_failing_the_others()
    {
        using var classifier = AudioClassifier.Load(Model);
        var inputs = new[] { AudioInput.FromFile(Meow), AudioInput.FromFile("/nonexistent/clip.wav"), AudioInput.FromFile(Meow) };
        var results = classifier.ClassifyBatch(inputs, batch: new BatchClassificationOptions { Jobs = 2 }).ToList();
        results.Select(r => r.Index).Should().Equal(0, 1, 2);
        results[1].Failed.Should().BeTrue();
        results[1].Name.Should().Be("/nonexistent/clip.wav");
        results[1].ErrorMessage.Should().NotBeNullOrWhiteSpace().And.NotContain("\n");
        results[0].Failed.Should().BeFalse();
        results[0].Windows.Should().NotBeEmpty();
        results[2].Windows.Select(w => w.Classes.Span[0].Index).Should().Equal(results[0].Windows.Select(w => w.Classes.Span[0].Index));
    }

    [Fact]
    public void A_returned_lease_is_unusable()
    {
        using var classifier = AudioClassifier.Load(Model);
        var lease = classifier.RentSession();
        lease.Dispose();
        FluentActions.Invoking(() => lease.Run()).Should().Throw<ObjectDisposedException>();
    }
}
