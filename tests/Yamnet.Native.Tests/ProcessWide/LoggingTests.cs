using Microsoft.Extensions.Logging;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Logging;
using Yamnet.Native.Tests.Audio;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.ProcessWide;

/// <summary>What the library logs through a host's ILoggerFactory: categories, levels, event ids.</summary>
public sealed class LoggingTests
{
    [Fact]
    public void Model_load_interpreter_and_delegate_are_logged_with_categories_and_levels()
    {
        var factory = new CollectingLoggerFactory();
        using var classifier = AudioClassifier.Load(TestAssets.YamnetModel, new AudioClassifierOptions { LoggerFactory = factory });
        using (classifier.CreateSession()) { }
        var events = factory.Events;
        events.Should().ContainSingle(e => e.Category == YamnetLogCategories.Model && e.EventId == 1000)
            .Which.Should().Match<(string, LogLevel Level, int, string Message)>(e => e.Level == LogLevel.Information && e.Message.Contains("known model yamnet"));
        events.Should().Contain(e => e.Category == YamnetLogCategories.Interpreter && e.Level == LogLevel.Debug && e.Message.Contains("XNNPACK delegate applied"));
    }

    [Fact]
    public void Tflite_error_reporter_text_is_logged_as_a_warning_and_kept_in_the_exception()
    {
        var factory = new CollectingLoggerFactory();
        using var model = TfLiteModel.FromFile(TestAssets.YamnetModel, loggerFactory: factory);
        using var interpreter = TfLiteInterpreter.Create(model, new TfLiteInterpreterOptions { Delegate = DelegateKind.None });
        interpreter.ResizeInput(0, [3, 5]);
        var ex = interpreter.Invoking(i => i.AllocateTensors()).Should().Throw<TfLiteException>().Which;
        ex.NativeMessage.Should().NotBeNullOrEmpty();
        factory.Events.Should().Contain(e => e.Category == YamnetLogCategories.TfLite && e.Level == LogLevel.Warning && ex.NativeMessage!.Contains(e.Message));
    }

    [Fact]
    public void Resampler_use_is_logged()
    {
        string dir = TestAssets.NewTempDir("log-resample");
        try
        {
            string path = Path.Combine(dir, "22k.wav");
            File.WriteAllBytes(path, AudioTestData.BuildWav(1, 1, 22050, 16, AudioTestData.Pcm16Bytes(new short[4000])));
            var factory = new CollectingLoggerFactory();
            using (AudioReader.Open(path, 16000, factory)) { }
            factory.Events.Should().Contain(e => e.Category == YamnetLogCategories.Audio && e.EventId == 2001 && e.Message.Contains("22050 Hz to 16000 Hz"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Nothing_is_logged_without_a_factory_and_nothing_static_remains()
    {
        typeof(TfLiteRuntime).GetEvents().Should().BeEmpty("logging goes through ILoggerFactory, not a static event");
        TfLiteRuntime.CaptureNativeStderr.Should().BeFalse("fd 2 is left alone unless the host opts in");
    }
}
