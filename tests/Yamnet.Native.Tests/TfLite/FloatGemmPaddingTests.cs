using Microsoft.Extensions.Logging;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Embeddings;
using Yamnet.Logging;
using Yamnet.Native.Tests.ProcessWide;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.TfLite;

/// <summary>
/// The padded model XNNPACK runs where TFLite 2.9's XNNPACK aborts (AMD Zen): which CPUs, what the
/// derived graph looks like, and that the scores of every golden window stay bit-identical. The
/// scores tests force the padding (Always), so they exercise it on any CPU; they sit in the serial
/// collection because the setting is process-wide (padding is result-neutral, but other tests should
/// not see it change under them).
/// </summary>
[Collection(SerialCollection.Name)]
public class FloatGemmPaddingTests
{
    private const string AmdEpycZen1 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 23\nmodel\t\t: 1\nflags\t\t: fpu sse2 avx fma avx2 topoext\n";

    [Theory]
    [InlineData(AmdEpycZen1, true)]
    [InlineData("vendor_id\t: AuthenticAMD\ncpu family\t: 23\nmodel\t\t: 24\nflags\t\t: sse2 avx fma avx2\n", true)] // Picasso (0x18)
    [InlineData("vendor_id\t: AuthenticAMD\ncpu family\t: 23\nmodel\t\t: 49\nflags\t\t: sse2 avx fma avx2\n", false)] // Rome (Zen 2): other kernels
    [InlineData("vendor_id\t: HygonGenuine\ncpu family\t: 24\nmodel\t\t: 1\nflags\t\t: sse2 avx fma avx2\n", true)]
    [InlineData("vendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 1\nflags\t\t: sse2 avx fma avx2\n", false)] // Zen 3/4: other kernels
    [InlineData("vendor_id\t: AuthenticAMD\ncpu family\t: 23\nmodel\t\t: 1\nflags\t\t: sse2 avx fma avx2 avx512f\n", false)]
    [InlineData("vendor_id\t: AuthenticAMD\ncpu family\t: 23\nmodel\t\t: 1\nflags\t\t: sse2 avx\n", false)] // no FMA3: SSE/AVX kernels
    [InlineData("vendor_id\t: GenuineIntel\ncpu family\t: 6\nflags\t\t: sse2 avx fma avx2\n", false)]
    [InlineData("", false)]
    public void Only_Zen_family_cpus_without_avx512_need_it(string cpuinfo, bool expected)
        => FloatGemmPadding.IsZenWithoutAvx512(cpuinfo).Should().Be(expected);

    [Fact]
    public void Yamnet_gets_its_mel_filterbank_padded_and_keeps_every_original_tensor()
    {
        byte[] original = File.ReadAllBytes(TestAssets.YamnetModel);
        byte[] padded = XnnPackModelPadding.Pad(original, out int layers)!;
        layers.Should().Be(1, "only the mel filterbank (257 -> 64) is a float FULLY_CONNECTED");
        padded.Length.Should().BeGreaterThan(original.Length);
        (padded.Length - original.Length).Should().BeLessThan(128 * 1024, "the front holds only the new tables and the 64 x 260 weights");
        padded.AsSpan(padded.Length - original.Length).SequenceEqual(original).Should().BeTrue("the old bytes follow unchanged");

        var before = Graph.Read(original);
        var after = Graph.Read(padded);
        after.Tensors.Should().HaveCount(before.Tensors.Count + 3);
        after.Tensors.Take(before.Tensors.Count).Should().Equal(before.Tensors, "indices 25 (log-mel) and 115 (embedding) mean the same tensors");
        after.Operators.Should().HaveCount(before.Operators.Count + 1);
        var fc = after.Operators.Single(o => o.Code == 9 && after.Tensors[o.Inputs[1]].Type == 0);
        after.Tensors[fc.Inputs[1]].Shape.Should().Equal(64, 260);
        after.Tensors[fc.Inputs[0]].Shape.Should().Equal(96, 260);
        var pad = after.Operators[after.Operators.IndexOf(fc) - 1];
        pad.Code.Should().Be(34);
        pad.Outputs.Should().Equal(fc.Inputs[0]);
        after.Tensors[pad.Inputs[0]].Name.Should().Be("magnitude_spectrogram");

        // Padding is idempotent: nothing left to pad.
        XnnPackModelPadding.Pad(padded, out int again).Should().BeNull();
        again.Should().Be(0);
        // The second model (a 5360-sample frontend) has one too, and it aborted TFLite 2.9 on Zen the same way.
        XnnPackModelPadding.Pad(File.ReadAllBytes(TestAssets.SecondModel), out int second).Should().NotBeNull();
        second.Should().Be(1);
    }

    [Fact]
    public void Padded_yamnet_scores_every_golden_window_bit_identically()
    {
        var before = TfLiteRuntime.XnnPackFloatPadding;
        TfLiteRuntime.XnnPackFloatPadding = XnnPackFloatPaddingMode.Always;
        try
        {
            var factory = new CollectingLoggerFactory();
            using var classifier = AudioClassifier.Load(TestAssets.YamnetModel, new AudioClassifierOptions { LoggerFactory = factory });
            using var session = classifier.CreateSession();
            factory.Events.Should().ContainSingle(e => e.Category == YamnetLogCategories.Interpreter && e.Level == LogLevel.Information
                && e.Message.Contains("1 float FULLY_CONNECTED layer(s) padded to a multiple of 4 input channels"));
            foreach (string clip in new[] { "meow_16k", "speech", "two_heads" })
            {
                var golden = GoldenRow.Read(TestAssets.Golden($"{clip}.xnnpack-qs8.hop7800.top5.csv"));
                Classify(classifier, session, TestAssets.Audio(clip + ".wav")).Should().Equal(golden, clip);
            }
        }
        finally
        {
            TfLiteRuntime.XnnPackFloatPadding = before;
        }
    }

    [Fact]
    public void Padded_yamnet_with_extra_outputs_keeps_scores_embedding_and_log_mel()
    {
        var before = TfLiteRuntime.XnnPackFloatPadding;
        float[] Run(XnnPackFloatPaddingMode mode)
        {
            TfLiteRuntime.XnnPackFloatPadding = mode;
            using var classifier = AudioClassifier.Load(TestAssets.YamnetModel, new AudioClassifierOptions { ExtraOutputs = ExtraOutputs.Embedding | ExtraOutputs.LogMelSpectrogram });
            using var session = classifier.CreateSession();
            Pcm16Wav.Read(TestAssets.Meow).AsSpan(0, 15600).CopyTo(session.Input);
            session.Run();
            return [.. session.Scores, .. session.Embedding, .. session.LogMelSpectrogram];
        }
        try
        {
            float[] padded = Run(XnnPackFloatPaddingMode.Always);
            // The reference: this process's default (on a Zen CPU under TFLite 2.9 that pads too, so
            // compare with the golden score as well as with Auto).
            float[] reference = Run(XnnPackFloatPaddingMode.Auto);
            padded.Should().Equal(reference);
            padded[76].Should().Be(0.80078125f, "the seed's Cat score");
            padded.Should().HaveCount(521 + 1024 + 96 * 64);
        }
        finally
        {
            TfLiteRuntime.XnnPackFloatPadding = before;
        }
    }

    private static List<GoldenRow> Classify(AudioClassifier classifier, ClassifierSession session, string wav)
    {
        using var audio = AudioReader.Open(wav, classifier.SampleRate);
        var framer = new WindowFramer(audio, classifier.WindowLength, 7800);
        var top = new ScoredClass[5];
        var rows = new List<GoldenRow>();
        while (framer.TryWriteNext(session.Input, out AudioWindow window))
        {
            session.Run();
            int n = TopK.Select(session.Scores, top);
            for (int r = 0; r < n; r++) rows.Add(new GoldenRow(window.Index, window.StartSample, r, top[r].Index, top[r].Score));
        }
        return rows;
    }

    /// <summary>Subgraph 0 as plain records, read with the library's own bounds-checked reader.</summary>
    private sealed record Graph(List<TensorInfo> Tensors, List<OperatorInfo> Operators)
    {
        internal static Graph Read(byte[] bytes)
        {
            var fb = new FlatBufferReader(bytes);
            int root = fb.RootTable();
            var (codes, codeCount) = fb.VectorField(root, 1, 4);
            var builtin = Enumerable.Range(0, codeCount).Select(i =>
            {
                var r = new FlatBufferReader(bytes);
                int oc = r.TableAt(codes, i);
                return Math.Max(r.ByteField(oc, 0), r.Int32Field(oc, 3));
            }).ToArray();
            int sg = fb.TableAt(fb.VectorField(root, 2, 4).Start, 0);
            var (tensors, tensorCount) = fb.VectorField(sg, 0, 4);
            var (ops, opCount) = fb.VectorField(sg, 3, 4);
            var t = new List<TensorInfo>();
            for (int i = 0; i < tensorCount; i++)
            {
                int table = fb.TableAt(tensors, i);
                t.Add(new TensorInfo(fb.StringField(table, 3) ?? "", Ints(bytes, table, 0), fb.ByteField(table, 1)));
            }
            var o = new List<OperatorInfo>();
            for (int i = 0; i < opCount; i++)
            {
                int table = fb.TableAt(ops, i);
                o.Add(new OperatorInfo(builtin[fb.UInt32Field(table, 0)], Ints(bytes, table, 1), Ints(bytes, table, 2)));
            }
            return new Graph(t, o);
        }

        private static int[] Ints(byte[] bytes, int table, int field)
        {
            var fb = new FlatBufferReader(bytes);
            var (start, count) = fb.VectorField(table, field, 4);
            return Enumerable.Range(0, count).Select(i => new FlatBufferReader(bytes).ReadInt32(start + 4 * i)).ToArray();
        }
    }

    private sealed record TensorInfo(string Name, int[] Shape, byte Type)
    {
        public bool Equals(TensorInfo? other) => other is not null && Name == other.Name && Type == other.Type && Shape.SequenceEqual(other.Shape);
        public override int GetHashCode() => HashCode.Combine(Name, Type, Shape.Length);
    }

    private sealed record OperatorInfo(int Code, int[] Inputs, int[] Outputs);
}
