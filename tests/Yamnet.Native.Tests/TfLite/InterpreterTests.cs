using Yamnet.Classification;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.TfLite;

public class InterpreterTests
{
    private static readonly (int Index, float Score)[] SeedTop5 =
        [(76, 0.80078125f), (67, 0.66796875f), (68, 0.66796875f), (78, 0.5f), (80, 0.33203125f)];

    private static float[] MeowFirstWindow()
    {
        var samples = Pcm16Wav.Read(TestAssets.Meow);
        return samples.AsSpan(0, 15600).ToArray();
    }

    private static (int, float)[] Top5(ReadOnlySpan<float> scores)
    {
        Span<ScoredClass> top = stackalloc ScoredClass[5];
        int n = TopK.Select(scores, top);
        return top[..n].ToArray().Select(c => (c.Index, c.Score)).ToArray();
    }

    [Fact]
    public void Version_is_a_supported_one()
    {
        TfLiteRuntime.Version.Should().MatchRegex(@"^2\.(9|19)\.");
    }

    [Fact]
    public void Yamnet_has_15600_sample_input_and_521_class_output()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        using var interpreter = TfLiteInterpreter.Create(model);
        interpreter.InputCount.Should().Be(1);
        interpreter.OutputCount.Should().Be(1);
        var input = interpreter.GetInputInfo(0);
        input.Type.Should().Be(TensorType.Float32);
        input.Shape.Should().Equal(15600);
        input.ByteSize.Should().Be(15600 * 4);
        input.Name.Should().NotBeEmpty();
        var output = interpreter.GetOutputInfo(0);
        output.Shape.Should().Equal(1, 521);
        output.Type.Should().Be(TensorType.Float32);
        model.Sha256.Should().Be(KnownModels.YamnetSha256);
    }

    [Fact]
    public void Xnnpack_qs8_reproduces_the_seed_scores_exactly()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        using var interpreter = TfLiteInterpreter.Create(model, new TfLiteInterpreterOptions { Delegate = DelegateKind.XnnPack, XnnPackFlags = XnnPackFlags.Qs8 });
        MeowFirstWindow().CopyTo(interpreter.GetInputSpan<float>());
        interpreter.Invoke();
        Top5(interpreter.GetOutputSpan<float>()).Should().Equal(SeedTop5);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Scores_do_not_depend_on_thread_count(int threads)
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        using var interpreter = TfLiteInterpreter.Create(model, new TfLiteInterpreterOptions { Threads = threads });
        MeowFirstWindow().CopyTo(interpreter.GetInputSpan<float>());
        interpreter.Invoke();
        Top5(interpreter.GetOutputSpan<float>()).Should().Equal(SeedTop5);
    }

    [Fact]
    public void Builtin_kernels_reproduce_the_builtin_golden_first_window()
    {
        var golden = GoldenRow.Read(TestAssets.Golden("meow_16k.builtin.hop7800.top5.csv")).Where(r => r.Window == 0).ToArray();
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        using var interpreter = TfLiteInterpreter.Create(model, new TfLiteInterpreterOptions { Delegate = DelegateKind.None });
        interpreter.GetInputTensor(0).CopyFrom<float>(MeowFirstWindow());
        interpreter.Invoke();
        var scores = new float[521];
        interpreter.GetOutputTensor(0).CopyTo<float>(scores);
        Top5(scores).Should().Equal(golden.Select(g => (g.Index, g.Score)));
        Top5(scores)[0].Should().Be((76, 0.73828125f));
    }

    [Fact]
    public void Second_model_has_5360_sample_input_and_527_classes()
    {
        using var model = TfLiteModel.FromFile(TestAssets.SecondModel);
        using var interpreter = TfLiteInterpreter.Create(model);
        interpreter.GetInputInfo(0).Shape.Should().Equal(5360);
        interpreter.GetOutputInfo(0).Shape.Should().Equal(1, 527);
        model.Metadata.Should().BeNull();
        model.EmbeddedLabels.Should().BeNull();
        MeowFirstWindow().AsSpan(0, 5360).CopyTo(interpreter.GetInputSpan<float>());
        interpreter.Invoke();
        interpreter.GetOutputSpan<float>().ToArray().Should().OnlyContain(s => s >= 0 && s <= 1);
    }

    [Fact]
    public void Yamnet_metadata_and_embedded_labels_are_read()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        model.Metadata!.SampleRate.Should().Be(16000);
        model.Metadata.Channels.Should().Be(1);
        model.Metadata.LabelFileName.Should().Be("yamnet_label_list.txt");
        model.EmbeddedLabels.Should().HaveCount(521);
        model.EmbeddedLabels![76].Should().Be("Cat");
        model.EmbeddedLabels![0].Should().Be("Speech");
    }

    [Fact]
    public void Invoke_allocates_nothing_on_the_managed_heap()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        using var interpreter = TfLiteInterpreter.Create(model);
        var window = MeowFirstWindow();
        Span<ScoredClass> top = stackalloc ScoredClass[5];
        // Warm up: JIT and tiering allocate on first calls.
        for (int i = 0; i < 20; i++) Step(interpreter, window, top);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) Step(interpreter, window, top);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);

        static void Step(TfLiteInterpreter interpreter, float[] window, Span<ScoredClass> top)
        {
            window.CopyTo(interpreter.GetInputSpan<float>());
            interpreter.Invoke();
            TopK.Select(interpreter.GetOutputSpan<float>(), top);
        }
    }

    [Fact]
    public void Wrong_span_type_or_length_is_refused()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        using var interpreter = TfLiteInterpreter.Create(model);
        interpreter.Invoking(i => i.GetInputSpan<int>()).Should().Throw<InvalidOperationException>().WithMessage("*Float32*");
        interpreter.Invoking(i => i.GetOutputSpan<double>()).Should().Throw<InvalidOperationException>();
        interpreter.Invoking(i => i.GetInputTensor(0).CopyFrom<float>(new float[100])).Should().Throw<ArgumentException>().WithMessage("*15600*");
        interpreter.Invoking(i => i.GetOutputTensor(0).CopyTo<float>(new float[522])).Should().Throw<ArgumentException>();
        interpreter.Invoking(i => i.GetOutputTensor(0).AsSpan<float>()).Should().Throw<InvalidOperationException>().WithMessage("*read-only*");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public void Out_of_range_tensor_indices_are_refused(int index)
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        using var interpreter = TfLiteInterpreter.Create(model);
        interpreter.Invoking(i => i.GetInputTensor(index)).Should().Throw<ArgumentOutOfRangeException>();
        interpreter.Invoking(i => i.GetOutputSpan<float>(index)).Should().Throw<ArgumentOutOfRangeException>();
        interpreter.Invoking(i => i.ResizeInput(index, [15600])).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Resize_requires_reallocation_before_data_access_and_rejects_bad_dims()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        using var interpreter = TfLiteInterpreter.Create(model, new TfLiteInterpreterOptions { Delegate = DelegateKind.None });
        var stale = interpreter.GetInputTensor(0);
        interpreter.Invoking(i => i.ResizeInput(0, [])).Should().Throw<ArgumentException>();
        interpreter.Invoking(i => i.ResizeInput(0, [-1])).Should().Throw<ArgumentException>();
        interpreter.Invoking(i => i.ResizeInput(0, [0])).Should().Throw<ArgumentException>();
        interpreter.Invoking(i => i.ResizeInput(0, [1, 1, 1, 1, 1, 1, 1, 1, 1])).Should().Throw<ArgumentException>();
        interpreter.Invoking(i => i.ResizeInput(0, [1 << 20, 1 << 20])).Should().Throw<ArgumentException>();

        interpreter.ResizeInput(0, [15600]);
        interpreter.IsAllocated.Should().BeFalse();
        interpreter.Invoking(i => i.GetInputSpan<float>()).Should().Throw<InvalidOperationException>().WithMessage("*AllocateTensors*");
        interpreter.Invoking(i => i.Invoke()).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => stale.Shape).Should().Throw<InvalidOperationException>().WithMessage("*stale*");
        interpreter.AllocateTensors();
        interpreter.GetInputSpan<float>().Length.Should().Be(15600);
    }

    [Fact]
    public void Non_finite_input_is_refused()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        using var interpreter = TfLiteInterpreter.Create(model);
        var input = interpreter.GetInputSpan<float>();
        input.Clear();
        input[12345] = float.NaN;
        interpreter.Invoking(i => i.Invoke()).Should().Throw<ArgumentException>().WithMessage("*NaN*");
        interpreter.GetInputSpan<float>()[12345] = float.PositiveInfinity;
        interpreter.Invoking(i => i.Invoke()).Should().Throw<ArgumentException>();
        interpreter.GetInputSpan<float>()[12345] = 0;
        interpreter.Invoke();
    }

    [Fact]
    public void Thread_count_below_one_is_refused_and_large_counts_are_clamped()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        FluentActions.Invoking(() => TfLiteInterpreter.Create(model, new TfLiteInterpreterOptions { Threads = 0 })).Should().Throw<ArgumentOutOfRangeException>();
        using var interpreter = TfLiteInterpreter.Create(model, new TfLiteInterpreterOptions { Threads = 100000 });
        interpreter.Options.Threads.Should().Be(100000);
        interpreter.GetInputSpan<float>().Clear();
        interpreter.Invoke();
    }
}
