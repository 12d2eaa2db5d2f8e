using Microsoft.Extensions.Logging;
using Yamnet.Logging;
using Yamnet.Native.Tests.ProcessWide;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.TfLite;

/// <summary>
/// The load-time XNNPACK self-check (for arm64 CPUs where XNNPACK's kernel choice is unverified):
/// agreement keeps XNNPACK, a mismatch falls back to the builtin kernels and says so in the log.
/// Forced here with per-interpreter options and loggers, so nothing process-wide changes under other tests.
/// </summary>
public class XnnPackSelfCheckTests
{
    private static float[] MeowFirstWindow() => Pcm16Wav.Read(TestAssets.Meow).AsSpan(0, 15600).ToArray();

    private static (TfLiteInterpreter Interpreter, List<string> Log) Create(TfLiteModel model, TfLiteInterpreterOptions options)
    {
        var factory = new CollectingLoggerFactory();
        var interpreter = TfLiteInterpreter.Create(model, options with { LoggerFactory = factory });
        var log = factory.Events.Where(e => e.Category == YamnetLogCategories.Interpreter && e.Message.Contains("self-check"))
            .Select(e => $"{e.Level}: {e.Message}").ToList();
        return (interpreter, log);
    }

    private static float Cat(TfLiteInterpreter interpreter)
    {
        MeowFirstWindow().CopyTo(interpreter.GetInputSpan<float>(0));
        interpreter.Invoke();
        return interpreter.GetOutputSpan<float>(0)[76];
    }

    [Fact]
    public void Agreeing_xnnpack_is_kept_and_the_check_is_logged()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        var (interpreter, log) = Create(model, new TfLiteInterpreterOptions { XnnPackSelfCheck = XnnPackSelfCheckMode.Always });
        using (interpreter)
        {
            interpreter.Options.Delegate.Should().Be(DelegateKind.XnnPack);
            Cat(interpreter).Should().Be(0.80078125f, "the seed's XNNPACK QS8 score");
        }
        log.Should().ContainSingle(m => m.StartsWith($"{LogLevel.Information}: XNNPACK self-check passed"));
    }

    [Fact]
    public void Disagreeing_xnnpack_falls_back_to_the_builtin_kernels_with_a_warning()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        // Tolerance 0: XNNPACK QS8 and the builtin kernels differ by rounding, so the check must fail.
        var options = new TfLiteInterpreterOptions { XnnPackSelfCheck = XnnPackSelfCheckMode.Always, XnnPackSelfCheckTolerance = 0 };
        var (first, log) = Create(model, options);
        using (first)
        {
            first.Options.Delegate.Should().Be(DelegateKind.None);
            Cat(first).Should().Be(0.73828125f, "the builtin kernels' golden score");
        }
        log.Should().ContainSingle(m => m.StartsWith($"{LogLevel.Warning}: XNNPACK self-check FAILED") && m.Contains("builtin kernels"));

        // The verdict is remembered for the model: the next interpreter falls back without re-checking.
        var (second, log2) = Create(model, options);
        using (second) second.Options.Delegate.Should().Be(DelegateKind.None);
        log2.Should().BeEmpty();
    }

    [Fact]
    public void Never_means_no_check()
    {
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel);
        var (interpreter, log) = Create(model, new TfLiteInterpreterOptions { XnnPackSelfCheck = XnnPackSelfCheckMode.Never, XnnPackSelfCheckTolerance = 0 });
        using (interpreter) interpreter.Options.Delegate.Should().Be(DelegateKind.XnnPack);
        log.Should().BeEmpty();
    }
}
