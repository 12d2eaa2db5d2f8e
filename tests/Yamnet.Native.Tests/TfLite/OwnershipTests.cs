using Yamnet.Interop;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.TfLite;

public class OwnershipTests
{
    [Fact]
    public void Model_shared_by_many_interpreters_outlives_its_own_dispose()
    {
        var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        var a = TfLiteInterpreter.Create(model);
        var b = TfLiteInterpreter.Create(model, new TfLiteInterpreterOptions { Delegate = DelegateKind.None });
        model.Dispose();
        // The interpreters hold references: the model bytes must still be alive.
        a.GetInputSpan<float>().Clear();
        a.Invoke();
        b.GetInputSpan<float>().Clear();
        b.Invoke();
        FluentActions.Invoking(() => TfLiteInterpreter.Create(model)).Should().Throw<ObjectDisposedException>();
        a.Dispose();
        b.Invoke();
        b.Dispose();
    }

    [Fact]
    public void Dispose_is_idempotent_and_use_after_dispose_throws()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        var interpreter = TfLiteInterpreter.Create(model);
        var tensor = interpreter.GetInputTensor(0);
        interpreter.Dispose();
        interpreter.Dispose();
        interpreter.Invoking(i => i.Invoke()).Should().Throw<ObjectDisposedException>();
        interpreter.Invoking(i => i.GetInputSpan<float>()).Should().Throw<ObjectDisposedException>();
        interpreter.Invoking(i => i.AllocateTensors()).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => tensor.Name).Should().Throw<ObjectDisposedException>();
        model.Dispose();
        model.Dispose();
    }

    [Fact]
    public void Delegate_outlives_its_interpreter_even_when_disposed_first()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        using var options = SafeTfLiteInterpreterOptionsHandle.Create();
        var xnn = SafeXnnPackDelegateHandle.Create(1, 1)!;
        xnn.IsInvalid.Should().BeFalse();
        unsafe { Interop.Interop.TfLite.TfLiteInterpreterOptionsAddDelegate(options.Options, xnn.Delegate); }
        // The native model XNNPACK runs here (a padded copy on AMD Zen under TFLite 2.9: the original aborts there).
        var modelHandle = model.ForXnnPack(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Handle!;
        var handle = SafeTfLiteInterpreterHandle.Create(modelHandle, options, default, [xnn])!;
        xnn.Dispose(); // refcounted by the interpreter: not freed yet
        unsafe
        {
            Interop.Interop.TfLite.TfLiteInterpreterAllocateTensors(handle.Interpreter).Should().Be(Interop.Interop.TfLite.TfLiteStatus.Ok);
            Interop.Interop.TfLite.TfLiteInterpreterInvoke(handle.Interpreter).Should().Be(Interop.Interop.TfLite.TfLiteStatus.Ok);
        }
        handle.Dispose();
    }

    [Fact]
    public unsafe void Raw_file_binding_rejects_a_text_file_without_crashing()
    {
        string dir = TestAssets.NewTempDir("rawmodel");
        string path = Path.Combine(dir, "model.tflite");
        File.WriteAllText(path, "this is not a flatbuffer");
        var model = Interop.Interop.TfLite.TfLiteModelCreateFromFile(path);
        ((nint)model).Should().Be(0);
    }

    [Fact]
    public void Interpreters_run_concurrently_on_one_model()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        var window = Pcm16Wav.Read(TestAssets.Meow).AsSpan(0, 15600).ToArray();
        var results = new float[4][];
        Parallel.For(0, 4, i =>
        {
            using var interpreter = TfLiteInterpreter.Create(model);
            for (int r = 0; r < 5; r++)
            {
                window.CopyTo(interpreter.GetInputSpan<float>());
                interpreter.Invoke();
            }
            results[i] = interpreter.GetOutputSpan<float>().ToArray();
        });
        results.Should().AllSatisfy(r => r.Should().Equal(results[0]));
        results[0][76].Should().Be(0.80078125f);
    }
}
