using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Classification;

[Collection(SerialCollection.Name)]
public class WindowPipelineTests
{
    private static readonly Lazy<AudioClassifier> s_classifier = new(() => AudioClassifier.Load(TestAssets.YamnetModel));

    private static List<(AudioWindow Window, float[] Scores)> Collect(WindowPipeline pipeline, float[] samples, int hop)
    {
        var results = new List<(AudioWindow, float[])>();
        using var source = new ArraySampleSource(samples, 16000);
        pipeline.Analyze(source, hop, (in AudioWindow w, ReadOnlySpan<float> s) => results.Add((w, s.ToArray())));
        return results;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Parallel_workers_give_the_sequential_results_in_window_order(int workers)
    {
        var meow = Pcm16Wav.Read(TestAssets.Meow);
        var sequential = Collect(new WindowPipeline(s_classifier.Value, 1), meow, 7800);
        var parallel = Collect(new WindowPipeline(s_classifier.Value, workers), meow, 7800);
        sequential.Should().HaveCount(13);
        parallel.Select(r => r.Window).Should().Equal(sequential.Select(r => r.Window));
        for (int i = 0; i < sequential.Count; i++) parallel[i].Scores.Should().Equal(sequential[i].Scores);
        parallel[0].Scores[76].Should().Be(0.80078125f);
    }

    [Fact]
    public void Steady_state_allocates_nothing_per_window()
    {
        var pipeline = new WindowPipeline(s_classifier.Value, 2);
        long Allocated(int windows)
        {
            var samples = new float[(windows - 1) * 7800 + 15600];
            for (int i = 0; i < samples.Length; i++) samples[i] = MathF.Sin(i * 0.05f) * 0.3f;
            using var source = new ArraySampleSource(samples, 16000);
            int seen = 0;
            pipeline.Analyze(source, 7800, (in AudioWindow w, ReadOnlySpan<float> s) => seen++);
            seen.Should().Be(windows);
            return pipeline.LastRunAllocatedBytes;
        }
        Allocated(50); // warm-up: JIT, pool, thread start
        long small = Allocated(100), large = Allocated(600);
        // Counted on the pipeline's own threads only (the process-wide counter picked up a few KB from
        // unrelated threads now and then). Fixed per-run costs (threads, framer, arrays) cancel out.
        small.Should().BePositive("the per-run set-up allocates and must be counted");
        double perWindow = (large - small) / 500.0;
        perWindow.Should().BeLessThan(1, $"runs allocated {small} and {large} bytes");
    }

    [Fact]
    public void A_failing_callback_stops_the_run_and_its_exception_surfaces()
    {
        var pipeline = new WindowPipeline(s_classifier.Value, 2);
        using var source = new ArraySampleSource(Pcm16Wav.Read(TestAssets.Meow), 16000);
        int calls = 0;
        FluentActions.Invoking(() => pipeline.Analyze(source, 7800, (in AudioWindow w, ReadOnlySpan<float> s) =>
        {
            if (++calls == 3) throw new InvalidOperationException("consumer failed");
        })).Should().Throw<InvalidOperationException>().WithMessage("consumer failed");
        calls.Should().Be(3);
        // The pool is intact: the next run works.
        Collect(pipeline, Pcm16Wav.Read(TestAssets.Meow), 7800).Should().HaveCount(13);
    }

    [Fact]
    public void The_callback_runs_on_the_calling_thread_while_workers_run_the_model()
    {
        var pipeline = new WindowPipeline(s_classifier.Value, 2);
        using var source = new ArraySampleSource(Pcm16Wav.Read(TestAssets.Meow), 16000);
        var threads = new HashSet<int>();
        var order = new List<int>();
        pipeline.Analyze(source, 7800, (in AudioWindow w, ReadOnlySpan<float> s) =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            order.Add(w.Index);
        });
        threads.Should().Equal(Environment.CurrentManagedThreadId);
        order.Should().Equal(Enumerable.Range(0, 13));
    }

    [Fact]
    public void A_failing_window_is_reported_after_every_earlier_window_was_delivered()
    {
        // Sample 20000 lies in windows 1 (7800..23400) and 2 (15600..31200) only.
        var samples = new float[60000];
        samples[20000] = float.NaN;
        using var source = new ArraySampleSource(samples, 16000);
        var delivered = new List<int>();
        FluentActions.Invoking(() => new WindowPipeline(s_classifier.Value, 2).Analyze(source, 7800, (in AudioWindow w, ReadOnlySpan<float> s) => delivered.Add(w.Index)))
            .Should().Throw<ArgumentException>().WithMessage("*NaN*");
        delivered.Should().Equal(0);
    }

    [Fact]
    public void Cancellation_stops_the_run_within_a_window()
    {
        var pipeline = new WindowPipeline(s_classifier.Value, 2);
        using var source = new ArraySampleSource(Pcm16Wav.Read(TestAssets.Meow), 16000);
        using var cts = new CancellationTokenSource();
        int calls = 0;
        FluentActions.Invoking(() => pipeline.Analyze(source, 7800, (in AudioWindow w, ReadOnlySpan<float> s) =>
        {
            if (++calls == 3) cts.Cancel();
        }, cts.Token)).Should().Throw<OperationCanceledException>();
        calls.Should().BeLessThan(13);
        Collect(pipeline, Pcm16Wav.Read(TestAssets.Meow), 7800).Should().HaveCount(13);
    }

    [Fact]
    public void Non_finite_audio_fails_the_run_with_a_clear_error()
    {
        var samples = new float[40000];
        samples[20000] = float.NaN;
        using var source = new ArraySampleSource(samples, 16000);
        FluentActions.Invoking(() => new WindowPipeline(s_classifier.Value, 2).Analyze(source, 7800, (in AudioWindow w, ReadOnlySpan<float> s) => { }))
            .Should().Throw<ArgumentException>().WithMessage("*NaN*");
    }

    [Fact]
    public void Wrong_sample_rate_is_refused()
    {
        using var source = new ArraySampleSource(new float[20000], 44100);
        FluentActions.Invoking(() => new WindowPipeline(s_classifier.Value, 2).Analyze(source, 7800, (in AudioWindow w, ReadOnlySpan<float> s) => { }))
            .Should().Throw<ArgumentException>().WithMessage("*44100*");
    }

    private static float[] Tone(int windows)
    {
        var samples = new float[(windows - 1) * 7800 + 15600];
        for (int i = 0; i < samples.Length; i++) samples[i] = MathF.Sin(i * (0.01f + i / 4e7f)) * 0.3f; // a slow chirp: every window differs
        return samples;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void A_long_run_wraps_the_slots_many_times_and_gives_the_sequential_results_in_order(int workers)
    {
        var samples = Tone(150);
        var sequential = Collect(new WindowPipeline(s_classifier.Value, 1), samples, 7800);
        var parallel = Collect(new WindowPipeline(s_classifier.Value, workers), samples, 7800);
        sequential.Should().HaveCount(150);
        parallel.Select(r => r.Window.Index).Should().Equal(Enumerable.Range(0, 150));
        for (int i = 0; i < sequential.Count; i++) parallel[i].Scores.Should().Equal(sequential[i].Scores, $"window {i}");
        sequential[0].Scores.Should().NotEqual(sequential[149].Scores);
    }

    [Fact]
    public void A_window_failing_deep_in_a_long_run_is_reported_after_every_earlier_one()
    {
        var samples = Tone(150);
        samples[100 * 7800 + 15000] = float.NaN; // in windows 100 and 101 only
        using var source = new ArraySampleSource(samples, 16000);
        var delivered = new List<int>();
        FluentActions.Invoking(() => new WindowPipeline(s_classifier.Value, 2).Analyze(source, 7800, (in AudioWindow w, ReadOnlySpan<float> s) => delivered.Add(w.Index)))
            .Should().Throw<ArgumentException>().WithMessage("*NaN*");
        delivered.Should().Equal(Enumerable.Range(0, 100));
    }

    [Fact]
    public void Each_worker_keeps_one_interpreter_for_the_whole_run()
    {
        // One interpreter per worker (issue 16): cycling a worker through several cost 7-13 % per window.
        using var classifier = AudioClassifier.Load(TestAssets.YamnetModel, new AudioClassifierOptions { MaxIdleSessions = 16 });
        classifier.IdleSessionCount.Should().Be(1, "the classifier keeps the interpreter it read its layout from");
        Collect(new WindowPipeline(classifier, 2), Tone(40), 7800).Should().HaveCount(40);
        classifier.IdleSessionCount.Should().Be(2, "a 2-worker run builds one more interpreter, not one per window in flight");
        Collect(new WindowPipeline(classifier, 3), Tone(40), 7800).Should().HaveCount(40);
        classifier.IdleSessionCount.Should().Be(3);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void A_slow_source_has_each_window_delivered_before_any_later_audio_is_needed(int workers)
    {
        // The source hands out the audio of window k+1 only once window k was delivered: a pipeline that
        // waited for later windows before delivering (batching its wake-ups too far) would never finish.
        using var source = new GatedSource(Tone(12));
        var delivered = new List<int>();
        var run = Task.Factory.StartNew(() => new WindowPipeline(s_classifier.Value, workers).Analyze(source, 7800, (in AudioWindow w, ReadOnlySpan<float> s) =>
        {
            lock (delivered) delivered.Add(w.Index);
            source.Allow(15600 + 7800 * (w.Index + 1));
        }), TaskCreationOptions.LongRunning);
        // A guard, not a synchronisation: a pipeline that waits for audio it has not read never ends.
        run.Wait(TimeSpan.FromSeconds(90)).Should().BeTrue("the pipeline must deliver each window without waiting for later audio");
        lock (delivered) delivered.Should().Equal(Enumerable.Range(0, 12));
        source.TimedOut.Should().BeFalse();
    }

    /// <summary>Samples up to a limit the test raises; a read past it blocks until it is raised (or 30 s pass: then the end).</summary>
    private sealed class GatedSource(float[] samples) : ISampleSource
    {
        private readonly object _gate = new();
        private int _position, _allowed = 15600;

        public int SampleRate => 16000;

        public bool TimedOut { get; private set; }

        public void Allow(int end)
        {
            lock (_gate)
            {
                _allowed = Math.Max(_allowed, end);
                Monitor.PulseAll(_gate);
            }
        }

        public int Read(Span<float> destination)
        {
            lock (_gate)
            {
                while (_position >= _allowed && _position < samples.Length)
                {
                    if (!Monitor.Wait(_gate, TimeSpan.FromSeconds(30)))
                    {
                        TimedOut = true;
                        return 0;
                    }
                }
                int n = Math.Min(destination.Length, Math.Min(_allowed, samples.Length) - _position);
                samples.AsSpan(_position, n).CopyTo(destination);
                _position += n;
                return n;
            }
        }

        public void Dispose()
        {
        }
    }
}
