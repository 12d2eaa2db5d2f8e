using Xunit.Abstractions;
using Yamnet.Analysis;
using Yamnet.Classification;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Analysis;

/// <summary>Managed bytes per window of the high-level enumerations (process-wide counter: serial).</summary>
[Collection(SerialCollection.Name)]
public class AnalysisAllocationTests(ITestOutputHelper output)
{
    private static readonly Lazy<AudioClassifier> s_classifier = new(() => AudioClassifier.Load(TestAssets.YamnetModel));

    private static float[] Signal(int windows)
    {
        var samples = new float[(windows - 1) * 7800 + 15600];
        for (int i = 0; i < samples.Length; i++) samples[i] = MathF.Sin(i * 0.05f) * 0.3f;
        return samples;
    }

    /// <summary>
    /// Allocation of a run of <paramref name="windows"/> windows, fixed per-run costs included. One
    /// worker runs everything on this thread, so its own counter is exact; the process-wide counter
    /// (needed for the pipeline's threads) also counts the test host's background work, which grows
    /// with the run's duration.
    /// </summary>
    private static long Measure(int windows, Func<AudioInput, int> run, bool threadOnly)
    {
        var input = AudioInput.FromSamples(Signal(windows), 16000);
        long before = threadOnly ? GC.GetAllocatedBytesForCurrentThread() : GC.GetTotalAllocatedBytes(precise: true);
        int seen = run(input);
        long after = threadOnly ? GC.GetAllocatedBytesForCurrentThread() : GC.GetTotalAllocatedBytes(precise: true);
        seen.Should().Be(windows);
        return after - before;
    }

    private double PerWindow(string name, Func<AudioInput, int> run, bool threadOnly = true)
    {
        Measure(20, run, threadOnly); // JIT, pool, threads
        // Other threads of the test host only ever add to the process-wide counter: the smallest of a
        // few runs is the run's own cost (one run of each was seen 250 B/window high on the loaded machine).
        int tries = threadOnly ? 1 : 3;
        long small = long.MaxValue, large = long.MaxValue;
        for (int i = 0; i < tries; i++)
        {
            small = Math.Min(small, Measure(100, run, threadOnly));
            large = Math.Min(large, Measure(400, run, threadOnly));
        }
        // Fixed per-run costs cancel out; what is left is the cost of 300 windows.
        double perWindow = (large - small) / 300.0;
        output.WriteLine($"{name}: {small} B for 100 windows, {large} B for 400 windows: {perWindow:0.00} B/window");
        return perWindow;
    }

    [Fact]
    public void Sync_enumeration_allocates_nothing_per_window()
    {
        var options = new ClassificationOptions { IncludeAllScores = true };
        PerWindow("Classify (sync, 1 worker)", input => s_classifier.Value.Classify(input, options).Count())
            .Should().BeLessThan(1);
    }

    [Fact]
    public void Async_enumeration_allocates_nothing_per_window()
    {
        PerWindow("ClassifyAsync (1 worker)", input => Count(s_classifier.Value.ClassifyAsync(input)).GetAwaiter().GetResult())
            .Should().BeLessThan(1);
    }

    [Fact]
    public void Pipeline_enumeration_allocates_no_more_per_window_than_the_pipeline_itself()
    {
        // The pipeline's own steady state is the bound (WindowPipelineTests): the rendezvous adds nothing.
        PerWindow("Classify (sync, 2 workers)", input => s_classifier.Value.Classify(input, new ClassificationOptions { Workers = 2 }).Count(), threadOnly: false)
            .Should().BeLessThan(64);
    }

    private static async Task<int> Count(IAsyncEnumerable<WindowClassification> results)
    {
        int n = 0;
        await foreach (var _ in results) n++;
        return n;
    }
}
