using Yamnet.Classification;
using Yamnet.Interop;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.TfLite;

/// <summary>
/// XNNPACK weights cache (TFLite 2.19): interpreters of one model share one packed copy, and
/// scores are the same with and without sharing. On 2.9 the option is accepted and ignored.
/// </summary>
public class WeightsCacheTests
{
    private static float[] MeowFirstWindow() => Pcm16Wav.Read(TestAssets.Meow).AsSpan(0, 15600).ToArray();

    private static float[] Run(TfLiteInterpreter interpreter, float[] window)
    {
        window.CopyTo(interpreter.GetInputSpan<float>(0));
        interpreter.Invoke();
        return interpreter.GetOutputSpan<float>(0).ToArray();
    }

    [Fact]
    public void Shared_weights_give_the_same_scores_as_private_ones_for_every_interpreter()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        var window = MeowFirstWindow();
        using var alone = TfLiteInterpreter.Create(model, new TfLiteInterpreterOptions { ShareXnnPackWeights = false });
        float[] expected = Run(alone, window);
        expected[76].Should().Be(0.80078125f);

        var shared = new List<TfLiteInterpreter>();
        try
        {
            // Created from several threads at once: the first fills the cache, the others wait for it.
            var tasks = Enumerable.Range(0, 4).Select(_ => Task.Run(() => TfLiteInterpreter.Create(model))).ToArray();
            Task.WaitAll(tasks);
            shared.AddRange(tasks.Select(t => t.Result));
            foreach (var interpreter in shared) Run(interpreter, window).Should().Equal(expected);
        }
        finally
        {
            foreach (var i in shared) i.Dispose();
        }
    }

    [Fact]
    public void The_cache_is_created_once_per_model_and_flags_only_when_the_runtime_has_one()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        using var a = TfLiteInterpreter.Create(model);
        using var b = TfLiteInterpreter.Create(model, new TfLiteInterpreterOptions { Threads = 2 });
        var qs8 = model.XnnPackWeights.For((uint)XnnPackFlags.Qs8);
        if (TfLiteAbi.Current.HasXnnPackWeightsCache)
        {
            qs8.Should().NotBeNull();
            qs8!.Finalized.Should().BeTrue("the first interpreter that shares it (the model's second) finalizes it so that it can run");
            model.XnnPackWeights.For((uint)XnnPackFlags.Qs8).Should().BeSameAs(qs8);
            model.XnnPackWeights.For((uint)XnnPackFlags.None).Should().NotBeSameAs(qs8);
        }
        else
        {
            qs8.Should().BeNull();
        }
    }

    [Fact]
    public void Model_disposed_before_its_interpreters_keeps_the_cache_alive_until_they_are_gone()
    {
        var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        var window = MeowFirstWindow();
        using var first = TfLiteInterpreter.Create(model);
        using var second = TfLiteInterpreter.Create(model);
        model.Dispose();
        Run(second, window)[76].Should().Be(0.80078125f);
        Run(first, window)[76].Should().Be(0.80078125f);
    }

    [Fact]
    public void Pooled_sessions_of_a_classifier_share_and_agree()
    {
        using var classifier = AudioClassifier.Load(TestAssets.YamnetModel);
        var window = MeowFirstWindow();
        using var s1 = classifier.CreateSession();
        using var s2 = classifier.CreateSession();
        window.CopyTo(s1.Input);
        window.CopyTo(s2.Input);
        s1.Run();
        s2.Run();
        s1.Scores.ToArray().Should().Equal(s2.Scores.ToArray());
        s1.Scores[76].Should().Be(0.80078125f);
    }
}
