using Yamnet.Audio;
using Xunit.Abstractions;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Fuzz;

/// <summary>
/// A seeded audio corpus, in-process (decoding cannot take the process down unless libsndfile does,
/// which is exactly what this is to find): one small file per supported container/codec, then
/// mutations of each (header fields set to extremes, truncation, random byte runs, bit flips). Every
/// case must end in samples or an <see cref="AudioException"/> with a one-line message, within a
/// bounded number of samples (no runaway resampling, no endless read) and a bounded peak of resident
/// memory (<see cref="CasePeakRss"/>: the kernel's high-water mark, reset before each case). Same bytes
/// on every machine. Alone in its collection: the memory measure is process-wide.
/// </summary>
[Collection(SerialCollection.Name)]
public class AudioFuzzTests(ITestOutputHelper output)
{
    private const int CasesPerFormat = 200;

    /// <summary>Most samples any case may produce: 0.6 s of audio at worst resampled from 1 kHz is far below this.</summary>
    private const long MaxSamples = 16_000L * 120;

    /// <summary>
    /// Most resident memory one case may add at its peak. A case decodes at most 0.6 s of audio
    /// (MaxSamples bounds a runaway at 7.7 MB of floats); a damaged header that made a decoder
    /// allocate by a bogus size (channels, frames, rate) would show as hundreds of MB or more.
    /// </summary>
    private const long MaxCasePeakBytes = 64L << 20;

    public static TheoryData<int> FormatIndices() => [.. Enumerable.Range(0, AudioFuzzCorpus.Formats.Length)];

    /// <summary>Decodes one case; returns "decoded" or "refused", and fails the test on anything else.</summary>
    internal static string Exercise(byte[] bytes, string what)
    {
        var buffer = new float[4096];
        try
        {
            using var reader = AudioReader.Open(new MemoryStream(bytes, writable: false), 16000);
            long total = 0;
            int n;
            while ((n = reader.Read(buffer)) > 0)
            {
                total += n;
                if (total > MaxSamples) throw new Xunit.Sdk.XunitException($"{what}: runaway decode, more than {MaxSamples} samples");
            }
            return "decoded";
        }
        catch (AudioException e)
        {
            e.Message.Should().NotBeNullOrWhiteSpace(what);
            e.Message.Should().NotContainAny(["\n", "\r"], what + ": one-line message");
            return "refused";
        }
    }

    [Fact]
    public unsafe void The_peak_measure_sees_native_memory_a_case_would_hold()
    {
        // What the bound is for: memory a decoder allocates natively and touches. If the kernel's
        // high-water mark were not reset or not read, this would not show the allocation.
        const long size = 2 * MaxCasePeakBytes;
        long before = CasePeakRss.Reset();
        void* p = System.Runtime.InteropServices.NativeMemory.Alloc((nuint)size);
        try
        {
            new Span<byte>(p, (int)size).Fill(1);
            (CasePeakRss.Peak() - before).Should().BeGreaterThan(MaxCasePeakBytes);
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(p);
        }
        long after = CasePeakRss.Reset();
        (CasePeakRss.Peak() - after).Should().BeLessThan(MaxCasePeakBytes, "the reset starts the next case afresh");
    }

    [Theory]
    [MemberData(nameof(FormatIndices))]
    public void Mutated_audio_never_crashes_hangs_or_runs_away(int format)
    {
        byte[] seed = AudioFuzzCorpus.Seed(format);
        Exercise(seed, "seed").Should().Be("decoded");
        var outcomes = new Dictionary<string, int>();
        long worst = 0;
        string worstCase = "";
        for (int n = 0; n < CasesPerFormat; n++)
        {
            var (bytes, what) = AudioFuzzCorpus.Mutate(seed, n);
            long before = CasePeakRss.Reset();
            string outcome = Exercise(bytes, $"{AudioFuzzCorpus.Formats[format]} {what}");
            long peak = CasePeakRss.Peak() - before;
            if (peak > worst) (worst, worstCase) = (peak, what);
            peak.Should().BeLessThan(MaxCasePeakBytes, $"{AudioFuzzCorpus.Formats[format]} {what}: peak resident memory of one case");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        output.WriteLine($"{AudioFuzzCorpus.Formats[format]}: {string.Join(", ", outcomes.Select(o => $"{o.Value} {o.Key}"))}; largest peak RSS added by one case {worst / 1024.0 / 1024:0.0} MiB ({worstCase})");
        outcomes.Values.Sum().Should().Be(CasesPerFormat);
        outcomes.GetValueOrDefault("refused").Should().BePositive("the corpus reaches the error paths");
    }
}
