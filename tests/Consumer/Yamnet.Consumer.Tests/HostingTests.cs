using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yamnet.Analysis;
using Yamnet.Classification;
using Yamnet.Extensions.Hosting;
using Yamnet.Logging;

namespace Yamnet.Consumer.Tests;

/// <summary>Issue 11, point 7, through the Yamnet.Extensions.Hosting package: a real host built with Host.CreateApplicationBuilder.</summary>
public sealed class HostingTests
{
    private static string Shared => Environment.GetEnvironmentVariable("YAMNET_SHARED_DIR")!;

    private static string Model => Path.Combine(Shared, "models", "yamnet.tflite");

    private static string Meow => Path.Combine(Shared, "audio", "meow_16k.wav");

    private static IHost Build(Action<YamnetOptions> configure, ILoggerProvider? logs = null, WorkerProbe? probe = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug);
        if (logs is not null) builder.Logging.AddProvider(logs);
        builder.Services.AddYamnet(configure);
        if (probe is not null)
        {
            builder.Services.AddSingleton(probe);
            builder.Services.AddHostedService<ProbeWorker>();
        }
        return builder.Build();
    }

    [Fact]
    public async Task One_classifier_singleton_logs_through_the_host_and_is_disposed_with_it()
    {
        var logs = new RecordingProvider();
        AudioClassifier resolved;
        string[] viaHost, direct;
        using (var host = Build(o =>
               {
                   o.ModelPath = Model;
                   o.Classification = new ClassificationOptions { MaxResults = 2 };
               }, logs))
        {
            await host.StartAsync();
            logs.Categories.Should().Contain(YamnetLogCategories.Model, "the model is loaded at start, logging through the host's factory");
            resolved = host.Services.GetRequiredService<AudioClassifier>();
            host.Services.GetRequiredService<AudioClassifier>().Should().BeSameAs(resolved);
            var options = host.Services.GetRequiredService<IOptions<YamnetOptions>>().Value;
            viaHost = await Describe(resolved, options.Classification);
            await host.StopAsync();
        }
        FluentActions.Invoking(() => resolved.RentSession()).Should().Throw<ObjectDisposedException>("the container owns the singleton");

        using (var classifier = AudioClassifier.Load(Model))
            direct = await Describe(classifier, new ClassificationOptions { MaxResults = 2 });
        viaHost.Should().NotBeEmpty().And.Equal(direct, "a classifier from the container classifies as one made directly");

        static async Task<string[]> Describe(AudioClassifier c, ClassificationOptions o)
        {
            var lines = new List<string>();
            await foreach (var w in c.ClassifyAsync(Meow, o))
                lines.Add($"{w.Index} " + string.Join(' ', w.Classes.ToArray().Select(k => $"{k.Index}:{k.Score}")));
            return [.. lines];
        }
    }

    public static TheoryData<string, string> BadOptions => new()
    {
        { "no model path", "Yamnet:ModelPath is required" },
        { "missing model file", "Yamnet:ModelPath: no file at '/nonexistent/yamnet.tflite'" },
        { "MaxResults 0", "Yamnet:Classification.MaxResults: MaxResults must be at least 1, or -1 for all classes. (was 0)" },
        { "Workers 100", "Yamnet:Classification.Workers: Workers must be 1..64. (was 100)" },
        { "sample rate 0", "Yamnet:Classifier.DefaultSampleRate: DefaultSampleRate must be a positive number of Hz. (was 0)" },
        { "threads 0", "Yamnet:Classifier.Interpreter.Threads must be at least 1 (was 0)" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Bad_options_stop_the_host_at_start_naming_the_option(string bad, string message)
    {
        var probe = new WorkerProbe();
        using var host = Build(o =>
        {
            o.ModelPath = Model;
            switch (bad)
            {
                case "no model path": o.ModelPath = " "; break;
                case "missing model file": o.ModelPath = "/nonexistent/yamnet.tflite"; break;
                case "MaxResults 0": o.Classification = new ClassificationOptions { MaxResults = 0 }; break;
                case "Workers 100": o.Classification = new ClassificationOptions { Workers = 100 }; break;
                case "sample rate 0": o.Classifier = new AudioClassifierOptions { DefaultSampleRate = 0 }; break;
                case "threads 0": o.Classifier = new AudioClassifierOptions { Interpreter = new() { Threads = 0 } }; break;
            }
        }, probe: probe);

        var thrown = await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<OptionsValidationException>();
        thrown.Which.Message.Should().Contain(message);
        probe.Started.Should().BeFalse("nothing of the app runs on bad options");
    }

    [Fact]
    public async Task A_file_that_is_not_a_model_fails_start_with_the_library_error()
    {
        var probe = new WorkerProbe();
        using var host = Build(o => o.ModelPath = Meow, probe: probe);
        var thrown = await FluentActions.Awaiting(() => host.StartAsync()).Should().ThrowAsync<ModelException>();
        ((int)thrown.Which.ErrorCode).Should().BeInRange(100, 199, "1xx codes are model errors");
        probe.Started.Should().BeFalse();
    }

    [Fact]
    public async Task LoadOnStart_false_defers_the_model_to_first_use()
    {
        using var host = Build(o =>
        {
            o.ModelPath = Meow;          // not a model: harmless until resolved
            o.LoadOnStart = false;
        });
        await host.StartAsync();
        FluentActions.Invoking(() => host.Services.GetRequiredService<AudioClassifier>()).Should().Throw<ModelException>();
        await host.StopAsync();
    }

    public sealed class WorkerProbe
    {
        public volatile bool Started;
    }

    private sealed class ProbeWorker(WorkerProbe probe) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            probe.Started = true;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class RecordingProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _categories = new();

        public IReadOnlyCollection<string> Categories => _categories;

        public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

        public void Dispose() { }

        private sealed class Recorder(RecordingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => owner._categories.Enqueue(category);
        }
    }
}
