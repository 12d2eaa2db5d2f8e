using Xunit.Abstractions;
using Yamnet.Native.Tests.TfLite;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Fuzz;

/// <summary>
/// The seeded model corpus: 1,050 structural mutations of the shared YAMNet model (offsets, counts,
/// indices, shapes, quantization parameters), each loaded, validated, built with XNNPACK or the builtin
/// kernels and invoked when it gets that far. Every case must end in "ran" or an exception (a crash
/// would take this test run down) and within a bounded peak of resident memory, measured by the
/// kernel (<see cref="CasePeakRss"/>, reset before each case), so a mutated shape or buffer size that
/// made TFLite allocate by a bogus size is caught even when it does not crash. Alone in its
/// collection: the memory measure is process-wide.
/// </summary>
[Collection(SerialCollection.Name)]
public class ModelFuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// Most resident memory one case may add at its peak. A case holds the 4 MB model in native memory,
    /// the interpreter's tensor arena and (XNNPACK) its packed weights; with the pages earlier cases
    /// freed reused, a case adds 4-11 MiB (measured on TFLite 2.19 and 2.9). A declared tensor or buffer
    /// size taken at face value would add hundreds of MB or more.
    /// </summary>
    private const long MaxCasePeakBytes = 64L << 20;

    private static readonly byte[] Original = File.ReadAllBytes(TestAssets.YamnetModel);

    [Theory]
    [InlineData(DelegateKind.XnnPack, 0, 300)]
    [InlineData(DelegateKind.None, 300, 450)]
    [InlineData(DelegateKind.None, 450, 750)]
    [InlineData(DelegateKind.XnnPack, 750, 1050)]
    public void A_corpus_of_structural_mutations_never_crashes_or_runs_away(DelegateKind kind, int from, int to)
    {
        var structural = ModelMutations.StructuralOffsets(Original);
        var outcomes = new Dictionary<string, int>();
        long worst = 0;
        string worstCase = "";
        for (int n = from; n < to; n++)
        {
            var (bytes, what) = ModelMutations.Mutate(Original, structural, n);
            long before = CasePeakRss.Reset();
            string outcome = ModelMutations.Exercise(bytes, kind);
            long peak = CasePeakRss.Peak() - before;
            if (peak > worst) (worst, worstCase) = (peak, $"{n}: {what} ({outcome})");
            peak.Should().BeLessThan(MaxCasePeakBytes, $"mutation {n} ({what}, {outcome}): peak resident memory of one case");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        output.WriteLine($"{kind} {from}-{to}: {string.Join(", ", outcomes.Select(o => $"{o.Value} {o.Key}"))}; largest peak RSS added by one case {worst / 1024.0 / 1024:0.0} MiB (mutation {worstCase})");
        // Reaching this line means no mutation crashed the process. The corpus must also really
        // exercise both sides: some mutants rejected by validation, some still running.
        outcomes.GetValueOrDefault("rejected").Should().BePositive();
        outcomes.GetValueOrDefault("ran").Should().BePositive();
        outcomes.Values.Sum().Should().Be(to - from);
    }

    [Fact]
    public void The_intact_model_stays_well_inside_the_bound()
    {
        foreach (var kind in new[] { DelegateKind.XnnPack, DelegateKind.None })
        {
            long before = CasePeakRss.Reset();
            ModelMutations.Exercise(Original, kind).Should().Be("ran");
            long peak = CasePeakRss.Peak() - before;
            output.WriteLine($"intact model, {kind}: peak RSS added {peak / 1024.0 / 1024:0.0} MiB");
            peak.Should().BeLessThan(MaxCasePeakBytes / 2);
        }
    }
}
