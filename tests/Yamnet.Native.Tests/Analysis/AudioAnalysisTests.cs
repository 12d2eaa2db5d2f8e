using Yamnet.Analysis;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Native.Tests.Audio;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Analysis;

public class AudioAnalysisTests : IClassFixture<AnalysisFixture>
{
    private readonly AnalysisFixture _f;

    public AudioAnalysisTests(AnalysisFixture f) => _f = f;

    private AudioClassifier Classifier => _f.Classifier;

    /// <summary>The reference: the low-level loop, one session, top 5 of every window.</summary>
    private List<(AudioWindow Window, ScoredClass[] Top)> Reference(float[] samples)
    {
        var list = new List<(AudioWindow, ScoredClass[])>();
        using var session = Classifier.CreateSession();
        using var source = new ArraySampleSource(samples, 16000);
        var top = new ScoredClass[5];
        FileAnalyzer.Analyze(session, source, 7800, (in AudioWindow w, ReadOnlySpan<float> s) =>
        {
            int n = TopK.Select(s, top);
            list.Add((w, top[..n]));
        });
        return list;
    }

    private static List<(AudioWindow Window, ScoredClass[] Top)> Snap(IEnumerable<WindowClassification> results)
        => results.Select(r => (r.Window, r.Classes.ToArray())).ToList();

    private static async Task<List<(AudioWindow Window, ScoredClass[] Top)>> SnapAsync(IAsyncEnumerable<WindowClassification> results)
    {
        var list = new List<(AudioWindow, ScoredClass[])>();
        await foreach (var r in results) list.Add((r.Window, r.Classes.ToArray()));
        return list;
    }

    private static void ShouldMatch(List<(AudioWindow Window, ScoredClass[] Top)> actual, List<(AudioWindow Window, ScoredClass[] Top)> expected)
    {
        actual.Select(a => a.Window).Should().Equal(expected.Select(e => e.Window));
        for (int i = 0; i < expected.Count; i++) actual[i].Top.Should().Equal(expected[i].Top, $"window {i}");
    }

    [Fact]
    public async Task A_file_gives_the_low_level_loops_windows_sync_and_async()
    {
        var expected = Reference(_f.Meow);
        expected.Should().HaveCount(13);
        expected[0].Top[0].Should().Be(new ScoredClass(76, 0.80078125f));
        ShouldMatch(Snap(Classifier.Classify(TestAssets.Meow)), expected);
        ShouldMatch(await SnapAsync(Classifier.ClassifyAsync(TestAssets.Meow)), expected);
        ShouldMatch(await SnapAsync(Classifier.ClassifyAsync(TestAssets.Meow, new ClassificationOptions { Workers = 2 })), expected);
        ShouldMatch(Snap(Classifier.Classify(TestAssets.Meow, new ClassificationOptions { Workers = 3 })), expected);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task An_async_run_on_several_workers_leaves_reading_to_the_workers(int workers)
    {
        // The pipeline's workers read the source on their own threads; the async enumeration must not
        // also prefetch into the same decoder meanwhile (CI once saw the meow reported as truncated).
        var expected = Reference(_f.Meow);
        using var stream = new ReaderTrackingStream(new MemoryStream(File.ReadAllBytes(TestAssets.Meow)));
        ShouldMatch(await SnapAsync(Classifier.ClassifyAsync(AudioInput.FromStream(stream, "tracked"), new ClassificationOptions { Workers = workers })), expected);
        stream.SyncReads.Should().BePositive("the workers read synchronously");
        stream.AsyncReadsAfterFirstSyncRead.Should().Be(0, "nothing else reads once the workers do");
        stream.Overlapped.Should().BeFalse();
    }

    [Fact]
    public async Task Streams_and_samples_give_the_files_windows()
    {
        var expected = Reference(_f.Meow);
        byte[] bytes = File.ReadAllBytes(TestAssets.Meow);
        using (var seekable = new MemoryStream(bytes))
            ShouldMatch(await SnapAsync(Classifier.ClassifyAsync(seekable)), expected);
        using (var pipe = new NonSeekableStream(new MemoryStream(bytes)))
            ShouldMatch(await SnapAsync(Classifier.ClassifyAsync(AudioInput.FromStream(pipe, "pipe"))), expected);
        ShouldMatch(Snap(Classifier.Classify(AudioInput.FromSamples(_f.Meow, 16000))), expected);
        // Two identical channels average to the same mono signal.
        var stereo = new float[_f.Meow.Length * 2];
        for (int i = 0; i < _f.Meow.Length; i++) stereo[2 * i] = stereo[2 * i + 1] = _f.Meow[i];
        ShouldMatch(await SnapAsync(Classifier.ClassifyAsync(AudioInput.FromSamples(stereo, 16000, 2, "stereo"))), expected);
    }

    [Fact]
    public void Samples_at_another_rate_are_resampled_to_the_models()
    {
        var at44 = Resampler.ResampleAll(_f.Meow, 16000, 44100);
        var results = Classifier.Classify(AudioInput.FromSamples(at44, 44100)).Select(r => r.Clone()).ToList();
        results.Should().HaveCount(13);
        results[0].Classes.Span[0].Index.Should().Be(76, "the meow is still a cat after a round trip through 44.1 kHz");
        results[^1].EndSeconds.Should().BeApproximately(_f.Meow.Length / 16000.0, 0.01);
    }

    [Fact]
    public void A_stream_is_classified_once()
    {
        using var stream = new MemoryStream(File.ReadAllBytes(TestAssets.Meow));
        var input = AudioInput.FromStream(stream);
        Classifier.Classify(input).Count().Should().Be(13);
        FluentActions.Invoking(() => Classifier.Classify(input).Count()).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Results_are_one_reused_instance_and_clones_are_independent()
    {
        var seen = new List<WindowClassification>();
        var clones = new List<WindowClassification>();
        foreach (var r in Classifier.Classify(TestAssets.Meow, new ClassificationOptions { IncludeAllScores = true }))
        {
            seen.Add(r);
            clones.Add(r.Clone());
            r.Scores.Length.Should().Be(521);
            r.Scores.Span[r.Classes.Span[0].Index].Should().Be(r.Classes.Span[0].Score);
        }
        seen.Distinct().Should().ContainSingle();
        clones.Select(c => c.Index).Should().Equal(Enumerable.Range(0, 13));
        clones[0].Classes.Span[0].Should().Be(new ScoredClass(76, 0.80078125f));
        clones[0].LabelOf(76).Should().Be("Cat");
    }

    [Fact]
    public void Options_shape_the_results()
    {
        var all = Classifier.Classify(TestAssets.Meow, new ClassificationOptions { MaxResults = -1, MaxWindows = 1 }).Single();
        all.Classes.Length.Should().Be(521);
        var filtered = Classifier.Classify(TestAssets.Meow, new ClassificationOptions
        {
            MaxWindows = 2,
            ScoreThreshold = 0.5f,
            Filter = ClassFilter.Create(Classifier.Labels, null, ["Cat"]),
        }).Select(r => r.Clone()).ToList();
        filtered.Should().HaveCount(2);
        filtered[0].Classes.ToArray().Should().OnlyContain(c => c.Score >= 0.5f && c.Index != 76);
        Classifier.Classify(TestAssets.Meow, new ClassificationOptions { Hop = 15600 }).Count().Should().Be(7);
    }

    [Theory]
    [InlineData(0, null, null)]
    [InlineData(5, 1.5f, null)]
    [InlineData(5, 0f, 0)]
    public void Invalid_options_fail_before_any_work(int maxResults, float? threshold, int? hop)
    {
        var options = new ClassificationOptions { MaxResults = maxResults, ScoreThreshold = threshold ?? 0, Hop = hop };
        FluentActions.Invoking(() => Classifier.ClassifyAsync(TestAssets.Meow, options)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Summaries_are_the_mean_or_max_over_every_window()
    {
        var mean = new ScoreAggregate(521, ScoreAggregation.Mean);
        var max = new ScoreAggregate(521, ScoreAggregation.Max);
        using (var session = Classifier.CreateSession())
        using (var source = new ArraySampleSource(_f.Meow, 16000))
        {
            FileAnalyzer.Analyze(session, source, 7800, (in AudioWindow w, ReadOnlySpan<float> s) =>
            {
                mean.Add(s);
                max.Add(s);
            });
        }
        var m = await Classifier.SummarizeAsync(AudioInput.FromFile(TestAssets.Meow));
        m.WindowCount.Should().Be(13);
        m.Scores.Should().Equal(mean.Result().ToArray());
        m.Classes.Should().HaveCount(5);
        m.Classes[0].Score.Should().Be(m.Scores.Max());
        m.EndSeconds.Should().Be(_f.Meow.Length / 16000.0);
        m.Format!.SampleRate.Should().Be(16000);
        var x = Classifier.Summarize(AudioInput.FromSamples(_f.Meow, 16000), ScoreAggregation.Max, new ClassificationOptions { Workers = 2 });
        x.Scores.Should().Equal(max.Result().ToArray());
        x.Format.Should().BeNull();
        FluentActions.Invoking(() => Classifier.Summarize(AudioInput.FromSamples(Array.Empty<float>(), 16000)))
            .Should().Throw<AudioFormatException>().WithMessage("*no audio samples*");
    }

    [Fact]
    public async Task A_batch_keeps_input_order_and_reports_each_failure_in_place()
    {
        string dir = TestAssets.NewTempDir("batch");
        string garbage = Path.Combine(dir, "garbage.wav");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 4000).Select(i => (byte)(i * 7)).ToArray());
        var inputs = new[]
        {
            AudioInput.FromFile(TestAssets.Meow),
            AudioInput.FromFile(Path.Combine(dir, "missing.wav")),
            AudioInput.FromFile(dir),
            AudioInput.FromFile(garbage),
            AudioInput.FromSamples(_f.Meow, 16000, name: "memory"),
            AudioInput.FromSamples(Array.Empty<float>(), 16000, name: "empty"),
        };
        var expected = Reference(_f.Meow);
        int progress = 0;
        var options = new BatchClassificationOptions { Jobs = 3, Progress = new SyncProgress(n => Interlocked.Exchange(ref progress, Math.Max(progress, n))) };
        var results = new List<FileClassification>();
        await foreach (var r in Classifier.ClassifyBatchAsync(inputs, batch: options)) results.Add(r);
        results.Select(r => r.Index).Should().Equal(0, 1, 2, 3, 4, 5);
        results.Select(r => r.Name).Should().Equal(inputs.Select(i => i.Name));
        results.Select(r => r.Failed).Should().Equal(false, true, true, true, false, true);
        results[1].ErrorMessage.Should().Be("file not found");
        results[2].ErrorMessage.Should().Be("is a directory");
        results[3].Error.Should().BeAssignableTo<AudioFormatException>();
        results[5].ErrorMessage.Should().Be("contains no audio samples");
        ShouldMatch(results[0].Windows.Select(w => (w.Window, w.Classes.ToArray())).ToList(), expected);
        ShouldMatch(results[4].Windows.Select(w => (w.Window, w.Classes.ToArray())).ToList(), expected);
        results[0].Format!.Channels.Should().Be(1);
        progress.Should().Be(6);

        var summaries = Classifier.ClassifyBatch(inputs[..1], batch: new BatchClassificationOptions { Jobs = 2, Summary = ScoreAggregation.Max }).ToList();
        summaries.Single().Summary!.Method.Should().Be(ScoreAggregation.Max);
        summaries.Single().Windows.Should().BeEmpty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void OnWindow_hands_out_each_window_in_order_on_the_callers_thread_before_the_result(int jobs)
    {
        var samples = new float[16000 * 30]; // 61 windows: several delivery batches of the pipeline
        for (int i = 0; i < samples.Length; i++) samples[i] = MathF.Sin(i * 0.013f) * 0.3f * (1 + (i / 8000) % 3);
        var seen = new List<(int Input, AudioWindow Window, ScoredClass[] Top, int Thread)>();
        var batch = new BatchClassificationOptions
        {
            Jobs = jobs,
            OnWindow = (file, w) =>
            {
                file.Windows.Should().BeEmpty("the input is still being classified");
                file.Format.Should().BeNull("samples in memory have no file format");
                seen.Add((file.Index, w.Window, w.Classes.ToArray(), Environment.CurrentManagedThreadId));
            },
        };
        var results = Classifier.ClassifyBatch([AudioInput.FromSamples(samples, 16000)], batch: batch).ToList();

        var result = results.Should().ContainSingle().Subject;
        result.Failed.Should().BeFalse();
        seen.Should().HaveCount(result.Windows.Count).And.HaveCount(61);
        seen.Select(s => s.Window).Should().Equal(result.Windows.Select(w => w.Window), "in window order, one call per window");
        for (int i = 0; i < seen.Count; i++) seen[i].Top.Should().Equal(result.Windows[i].Classes.ToArray(), $"window {i}");
        seen.Select(s => s.Thread).Distinct().Should().Equal([Environment.CurrentManagedThreadId], "a single input through ClassifyBatch is delivered on the caller's thread");
        seen.Select(s => s.Input).Distinct().Should().Equal(0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task OnWindow_that_throws_fails_its_input_with_the_windows_so_far_and_the_batch_goes_on(int jobs)
    {
        var inputs = new[] { AudioInput.FromFile(TestAssets.Meow), AudioInput.FromFile(TestAssets.Meow) };
        int calls = 0;
        var batch = new BatchClassificationOptions
        {
            Jobs = jobs,
            OnWindow = (file, w) =>
            {
                Interlocked.Increment(ref calls);
                file.Format!.SampleRate.Should().Be(16000, "a file's format is known before its first window");
                if (file.Index == 0 && w.Index == 4) throw new InvalidOperationException("sink full");
            },
        };
        var results = new List<FileClassification>();
        await foreach (var r in Classifier.ClassifyBatchAsync(inputs, batch: batch)) results.Add(r);

        results.Should().HaveCount(2);
        results[0].ErrorMessage.Should().Be("sink full");
        results[0].Windows.Select(w => w.Index).Should().Equal([0, 1, 2, 3, 4], "the windows classified before the callback threw are kept");
        results[0].StoppedAtSeconds.Should().Be(results[0].Windows[^1].EndSeconds);
        results[1].Failed.Should().BeFalse();
        results[1].Windows.Should().HaveCount(13);
        calls.Should().Be(5 + 13);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Cancelling_stops_within_a_window_and_surfaces_as_OperationCanceledException(int workers)
    {
        var samples = new float[16000 * 120]; // two minutes: 245 windows
        for (int i = 0; i < samples.Length; i++) samples[i] = MathF.Sin(i * 0.01f) * 0.2f;
        using var cts = new CancellationTokenSource();
        int seen = 0;
        var run = async () =>
        {
            await foreach (var r in Classifier.ClassifyAsync(AudioInput.FromSamples(samples, 16000), new ClassificationOptions { Workers = workers }, cts.Token))
            {
                if (++seen == 3) cts.Cancel();
            }
        };
        await run.Should().ThrowAsync<OperationCanceledException>();
        seen.Should().Be(3, "no window is handed out after the cancellation");

        using var pre = new CancellationTokenSource();
        pre.Cancel();
        FluentActions.Invoking(() => Classifier.Classify(TestAssets.Meow, cancellationToken: pre.Token).Count()).Should().Throw<OperationCanceledException>();
        await FluentActions.Awaiting(() => Classifier.SummarizeAsync(AudioInput.FromFile(TestAssets.Meow), cancellationToken: pre.Token)).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Cancelling_a_batch_surfaces_as_OperationCanceledException_not_as_file_errors()
    {
        var samples = new float[16000 * 120];
        var inputs = Enumerable.Range(0, 4).Select(i => AudioInput.FromSamples(samples, 16000, name: "long" + i)).ToArray();
        using var cts = new CancellationTokenSource();
        var results = new List<FileClassification>();
        var run = async () =>
        {
            await foreach (var r in Classifier.ClassifyBatchAsync(inputs, batch: new BatchClassificationOptions { Jobs = 2 }, cancellationToken: cts.Token))
            {
                results.Add(r);
                cts.Cancel();
            }
        };
        await run.Should().ThrowAsync<OperationCanceledException>();
        results.Should().ContainSingle().Which.Failed.Should().BeFalse();
        using var pre = new CancellationTokenSource();
        pre.Cancel();
        FluentActions.Invoking(() => Classifier.ClassifyBatch(inputs, cancellationToken: pre.Token).ToList()).Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Leaving_a_pipeline_enumeration_early_stops_its_threads_and_returns_its_sessions()
    {
        var samples = new float[16000 * 60];
        foreach (var r in Classifier.Classify(AudioInput.FromSamples(samples, 16000), new ClassificationOptions { Workers = 2 }))
        {
            if (r.Index == 2) break;
        }
        using var a = Classifier.RentSession(); // the pool still works: nothing was left rented or broken
        a.Classify(_f.Meow.AsSpan(0, 15600))[76].Should().Be(0.80078125f);
    }

    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}

public sealed class AnalysisFixture : IDisposable
{
    public AudioClassifier Classifier { get; } = AudioClassifier.Load(TestAssets.YamnetModel);

    public float[] Meow { get; } = Pcm16Wav.Read(TestAssets.Meow);

    public void Dispose() => Classifier.Dispose();
}

/// <summary>Hands out at most 3001 bytes per read and counts who reads and when: synchronous reads, asynchronous ones after the first synchronous one, and any two at once.</summary>
internal sealed class ReaderTrackingStream(Stream inner) : ForwardOnlyStream
{
    private int _inside, _syncReads, _asyncAfterSync;
    private volatile bool _overlapped;

    public int SyncReads => Volatile.Read(ref _syncReads);
    public int AsyncReadsAfterFirstSyncRead => Volatile.Read(ref _asyncAfterSync);
    public bool Overlapped => _overlapped;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Enter();
        try
        {
            Interlocked.Increment(ref _syncReads);
            return inner.Read(buffer[..Math.Min(buffer.Length, 3001)]); // small pieces, like a pipe: the decoder's buffer stays short
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Enter();
        try
        {
            if (Volatile.Read(ref _syncReads) > 0) Interlocked.Increment(ref _asyncAfterSync);
            return ValueTask.FromResult(inner.Read(buffer.Span[..Math.Min(buffer.Length, 3001)]));
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }

    private void Enter()
    {
        if (Interlocked.Increment(ref _inside) > 1) _overlapped = true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
