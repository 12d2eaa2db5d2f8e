using System.Buffers.Binary;
using Xunit.Abstractions;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Embeddings;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Embeddings;

public class ExtraOutputTests(ITestOutputHelper output)
{
    private static readonly Lazy<AudioClassifier> s_plain = new(() => AudioClassifier.Load(TestAssets.YamnetModel));
    private static readonly Lazy<AudioClassifier> s_extras = new(() => AudioClassifier.Load(TestAssets.YamnetModel, new AudioClassifierOptions { ExtraOutputs = ExtraOutputs.All }));

    private static readonly string[] s_clips = ["meow_16k.wav", "speech.wav", "two_heads.wav"];

    [Fact]
    public void The_derived_model_exposes_the_embedding_and_log_mel_found_by_structure_and_passes_validation()
    {
        var c = s_extras.Value;
        c.Extras.Should().NotBeNull();
        c.Extras!.EmbeddingLength.Should().Be(1024);
        c.Extras.EmbeddingTensor!.Type.Should().Be(TensorType.Int8);
        c.Extras.EmbeddingTensor.Quantization.Scale.Should().BeApproximately(0.02232835f, 1e-7f);
        c.Extras.EmbeddingTensor.Quantization.ZeroPoint.Should().Be(-128);
        c.Extras.LogMelFrames.Should().Be(96);
        c.Extras.LogMelBands.Should().Be(64);
        c.Extras.LogMelTensor!.Type.Should().Be(TensorType.Float32);
        c.Output.Shape.Should().Equal(1, 521); // scores stay output 0
        c.Model.Sha256.Should().Be(KnownModels.YamnetSha256, "the loaded model is the file, untouched");

        var derived = SubgraphOutputsPatch.AppendOutputs(File.ReadAllBytes(TestAssets.YamnetModel), [7]);
        FluentActions.Invoking(() => ModelValidator.Validate(derived)).Should().NotThrow();
        using var model = TfLiteModel.FromBytes(derived);
        using var interpreter = TfLiteInterpreter.Create(model);
        interpreter.OutputCount.Should().Be(2);
        interpreter.GetOutputInfo(1).Shape.Should().Equal(96, 5); // tensor 7 of the original: [96, 5] indices
    }

    [Fact]
    public void Every_window_of_the_shared_clips_reproduces_the_scores_through_the_models_own_final_layer()
    {
        var head = ClassifierHead.Read(File.ReadAllBytes(TestAssets.YamnetModel));
        head.IsQuantized.Should().BeTrue();
        head.Classes.Should().Be(521);
        head.Inputs.Should().Be(1024);
        using var plain = s_plain.Value.CreateSession();
        using var extras = s_extras.Value.CreateSession();
        int windows = 0, worstSteps = 0, exact = 0;
        var recomputed = new float[head.Classes];
        foreach (string clip in s_clips)
        {
            var samples = Pcm16Wav.Read(TestAssets.Audio(clip));
            var expected = new List<float[]>();
            using (var source = new ArraySampleSource(samples, 16000))
                FileAnalyzer.Analyze(plain, source, 7800, (in AudioWindow _, ReadOnlySpan<float> s) => expected.Add(s.ToArray()));
            using var again = new ArraySampleSource(samples, 16000);
            int k = 0;
            FileAnalyzer.Analyze(extras, again, 7800, (in AudioWindow w, in WindowOutputs o) =>
            {
                o.Scores.ToArray().Should().Equal(expected[k], $"{clip} window {k}: scores with extra outputs are bit-identical to scores only");
                Head(head, o.Embedding, recomputed);
                int steps = 0;
                for (int i = 0; i < recomputed.Length; i++)
                    steps = Math.Max(steps, (int)Math.Round(Math.Abs(recomputed[i] - o.Scores[i]) * 256));
                if (steps == 0) exact++;
                worstSteps = Math.Max(worstSteps, steps);
                k++;
            });
            k.Should().Be(expected.Count);
            windows += k;
        }
        output.WriteLine($"{windows} windows; worst |head(embedding) - scores| = {worstSteps}/256; exact on {exact} windows");
        windows.Should().Be(13 + 8 + 1);
        worstSteps.Should().BeLessThanOrEqualTo(1, "the embedding through the final layer reproduces the scores within 1/256");
    }

    /// <summary>The model's final layer done by hand: TFLite's int8 FULLY_CONNECTED, requantized logits, LOGISTIC requantized to its output step.</summary>
    private static void Head(ClassifierHead head, ReadOnlySpan<float> embedding, Span<float> scores)
    {
        var (inScale, inZero) = head.Embedding;
        Span<int> q = stackalloc int[head.Inputs];
        for (int i = 0; i < q.Length; i++) q[i] = (int)Math.Round(embedding[i] / inScale) + (int)inZero;
        var (logitScale, logitZero) = head.Logits;
        var (outScale, outZero) = head.Sigmoid;
        for (int c = 0; c < head.Classes; c++)
        {
            long acc = head.QuantizedBias![c];
            for (int i = 0; i < head.Inputs; i++)
                acc += (long)(q[i] - inZero) * (head.QuantizedWeights![c * head.Inputs + i] - head.WeightZeroPoint);
            double multiplier = (double)inScale * head.WeightScales[c] / logitScale;
            long logit = Math.Clamp((long)Math.Round(acc * multiplier, MidpointRounding.AwayFromZero) + logitZero, -128, 127);
            double sigmoid = 1.0 / (1.0 + Math.Exp(-(logit - logitZero) * (double)logitScale));
            long s = Math.Clamp((long)Math.Round(sigmoid / outScale, MidpointRounding.AwayFromZero) + outZero, -128, 127);
            scores[c] = (float)((s - outZero) * (double)outScale);
        }
    }

    [Fact]
    public void The_log_mel_patch_is_the_frontends_output()
    {
        using var session = s_extras.Value.CreateSession();
        Pcm16Wav.Read(TestAssets.Meow).AsSpan(0, 15600).CopyTo(session.Input);
        session.Run();
        var patch = session.LogMelSpectrogram;
        patch.Length.Should().Be(96 * 64);
        foreach (float v in patch) float.IsFinite(v).Should().BeTrue();
        // log(mel + 0.001): never below log(0.001), and a cat's meow has energy well above it.
        patch.ToArray().Min().Should().BeGreaterThanOrEqualTo(MathF.Log(0.001f) - 1e-4f);
        patch.ToArray().Max().Should().BeGreaterThan(0f);
        session.Input.Clear();
        session.Run();
        session.LogMelSpectrogram.ToArray().Max().Should().BeApproximately(MathF.Log(0.001f), 1e-3f, "silence gives the floor everywhere");
    }

    [Fact]
    public void A_model_whose_scores_do_not_come_from_fully_connected_and_logistic_has_no_embedding()
    {
        var bytes = File.ReadAllBytes(TestAssets.YamnetModel);
        RetagOperatorCode(bytes, from: 14, to: 28); // LOGISTIC → TANH: same shapes, no sigmoid head
        string path = Path.Combine(TestAssets.NewTempDir("noembed"), "tanh.tflite");
        File.WriteAllBytes(path, bytes);
        FluentActions.Invoking(() => AudioClassifier.Load(path, new AudioClassifierOptions { ExtraOutputs = ExtraOutputs.Embedding }))
            .Should().Throw<InvalidModelException>().WithMessage("*this model has no embedding*");
    }

    [Fact]
    public void Reading_extras_from_a_scores_only_classifier_is_refused()
    {
        using var session = s_plain.Value.CreateSession();
        s_plain.Value.Extras.Should().BeNull();
        session.Invoking(s => s.Embedding.Length).Should().Throw<InvalidOperationException>();
        session.Invoking(s => s.LogMelSpectrogram.Length).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void A_float_model_gives_its_float_embedding_and_its_head_reproduces_the_scores()
    {
        using var c = AudioClassifier.Load(TestAssets.SecondModel, new AudioClassifierOptions { ExtraOutputs = ExtraOutputs.Embedding });
        c.Extras!.EmbeddingTensor!.Type.Should().Be(TensorType.Float32);
        var head = ClassifierHead.Read(File.ReadAllBytes(TestAssets.SecondModel));
        head.IsQuantized.Should().BeFalse();
        c.Extras.EmbeddingLength.Should().Be(head.Inputs);
        using var session = c.CreateSession();
        var samples = Pcm16Wav.Read(TestAssets.Meow);
        samples.AsSpan(0, c.WindowLength).CopyTo(session.Input);
        session.Run();
        var e = session.Embedding;
        double worst = 0;
        for (int k = 0; k < head.Classes; k++)
        {
            double acc = head.FloatBias?[k] ?? 0;
            for (int i = 0; i < head.Inputs; i++) acc += head.FloatWeights![k * head.Inputs + i] * e[i];
            worst = Math.Max(worst, Math.Abs(1 / (1 + Math.Exp(-acc)) - session.Scores[k]));
        }
        worst.Should().BeLessThan(1e-4);
    }

    [Fact]
    public void The_pipeline_delivers_each_windows_embedding_and_log_mel_in_order()
    {
        // With several workers the outputs are the worker's copies (WindowOutputSlots), not the tensors.
        var samples = Pcm16Wav.Read(TestAssets.Meow);
        List<(float[] Scores, float[] Embedding, float[] LogMel)> Run(int workers)
        {
            var list = new List<(float[], float[], float[])>();
            using var source = new ArraySampleSource(samples, 16000);
            new WindowPipeline(s_extras.Value, workers).Analyze(source, 7800, (in AudioWindow w, in WindowOutputs o) =>
            {
                list.Count.Should().Be(w.Index);
                list.Add((o.Scores.ToArray(), o.Embedding.ToArray(), o.LogMelSpectrogram.ToArray()));
            });
            return list;
        }
        var one = Run(1);
        one.Should().HaveCount(13);
        foreach (int workers in new[] { 2, 3 })
        {
            var many = Run(workers);
            for (int i = 0; i < one.Count; i++)
            {
                many[i].Scores.Should().Equal(one[i].Scores);
                many[i].Embedding.Should().Equal(one[i].Embedding);
                many[i].LogMel.Should().Equal(one[i].LogMel);
            }
        }
        one[0].Embedding.Should().NotEqual(one[5].Embedding);
        one[0].LogMel.Should().NotEqual(one[5].LogMel);
    }

    [Fact]
    public void Reading_extras_from_a_scores_only_classifier_is_refused_by_the_pipeline_too()
    {
        using var source = new ArraySampleSource(Pcm16Wav.Read(TestAssets.Meow), 16000);
        string? embedding = null, logMel = null;
        new WindowPipeline(s_plain.Value, 2).Analyze(source, 7800, (in AudioWindow w, in WindowOutputs o) =>
        {
            o.Scores.Length.Should().Be(521);
            try { _ = o.Embedding.Length; } catch (InvalidOperationException e) { embedding = e.Message; }
            try { _ = o.LogMelSpectrogram.Length; } catch (InvalidOperationException e) { logMel = e.Message; }
        });
        embedding.Should().Contain("without extra outputs");
        logMel.Should().Contain("without extra outputs");
    }

    /// <summary>Changes the builtin code of every operator code entry equal to <paramref name="from"/>.</summary>
    internal static void RetagOperatorCode(byte[] bytes, int from, int to)
    {
        var fb = new FlatBufferReader(bytes);
        var (codes, count) = fb.VectorField(fb.RootTable(), 1, 4);
        int changed = 0;
        for (int i = 0; i < count; i++)
        {
            int oc = fb.TableAt(codes, i);
            int deprecated = fb.Field(oc, 0), builtin = fb.Field(oc, 3);
            if (deprecated >= 0 && bytes[deprecated] == from) { bytes[deprecated] = (byte)to; changed++; }
            if (builtin >= 0 && BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(builtin)) == from)
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(builtin), to);
                changed++;
            }
        }
        changed.Should().BeGreaterThan(0);
    }
}
