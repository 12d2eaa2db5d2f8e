using System.CommandLine;
using Yamnet.Classification;
using Yamnet.Cli.Commands;
using Yamnet.TfLite;

namespace Yamnet.Cli;

/// <summary>
/// Options every model-running command shares (--model, --labels, --sampleRate, --numThreads,
/// --delegate, --enableEdgeTPU, --verbose) and the code that turns them into an
/// <see cref="AudioClassifier"/>. A new command (bench, listen) calls <see cref="AddTo"/> and
/// <see cref="LoadClassifier"/>.
/// </summary>
public sealed class CommonOptions
{
    public Option<string?> Model { get; } = new("--model") { Description = "The .tflite model. Default: $YAMNET_MODEL, then models/yamnet.tflite in the nearest ancestor of the current directory or of the binary, then ../shared/models/yamnet.tflite beside the project root." };

    public Option<string?> Labels { get; } = new("--labels") { Description = "An AudioSet class map CSV (index,mid,display_name) to use instead of the model's embedded labels; output then carries each class's mid." };

    public Option<int?> SampleRate { get; } = new("--sampleRate") { Description = "Input sample rate in Hz for a model without metadata (default 16000). A model with metadata fixes its own rate." };

    public Option<int> NumThreads { get; } = new("--numThreads") { Description = "TFLite/XNNPACK threads per interpreter (at least 1; default 1). Files and windows are spread over --jobs interpreters instead, which scales better on few cores (docs/PERFORMANCE.md).", DefaultValueFactory = _ => 1 };

    public Option<string> WeightsCache { get; } = new("--xnnpackWeightsCache") { Description = "on (default) or off: with TFLite 2.19, XNNPACK interpreters of one model share one copy of the packed weights (no effect on 2.9).", DefaultValueFactory = _ => "on" };

    public Option<string> Delegate { get; } = new("--delegate") { Description = "Kernels: xnnpack (default, XNNPACK with the QS8 flag) or none (TFLite builtin kernels).", DefaultValueFactory = _ => "xnnpack" };

    public Option<bool> EnableEdgeTpu { get; } = new("--enableEdgeTPU") { Description = "Run on a Coral Edge TPU (not supported by this build; kept for compatibility with the Raspberry Pi example)." };

    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Print TFLite's own messages and setup details on stderr." };

    public Option<bool> NoModelCheck { get; } = new("--no-model-check") { Description = "Do not try an unknown model in a child process first (the trial that turns a TFLite crash into a one-line error; its verdict is cached per model in $XDG_CACHE_HOME/yamnet)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Labels);
        command.Options.Add(SampleRate);
        command.Options.Add(NumThreads);
        command.Options.Add(Delegate);
        command.Options.Add(WeightsCache);
        command.Options.Add(EnableEdgeTpu);
        command.Options.Add(Verbose);
        command.Options.Add(NoModelCheck);
    }

    /// <summary>Refuses what this build cannot do (the seed's --enableEdgeTPU); commands call it before any other work so it fails fast.</summary>
    public void RejectUnsupported(ParseResult parse)
    {
        if (parse.GetValue(EnableEdgeTpu))
            throw new UsageException("Edge TPU is not supported: this build runs TFLite on the CPU only (--delegate xnnpack or none).");
    }

    /// <summary>Validates the shared options, routes TFLite's log to stderr with --verbose, and loads the classifier.</summary>
    public AudioClassifier LoadClassifier(ParseResult parse, string? modelOverride = null, Yamnet.Embeddings.ExtraOutputs extraOutputs = Yamnet.Embeddings.ExtraOutputs.None, string? labelsOverride = null)
    {
        RejectUnsupported(parse);
        int threads = parse.GetValue(NumThreads);
        if (threads < 1) throw new UsageException("Number of threads must be at least 1.");
        var kind = ParseDelegate(parse.GetValue(Delegate));
        bool shareWeights = parse.GetValue(WeightsCache)?.ToLowerInvariant() switch
        {
            "on" => true,
            "off" => false,
            var v => throw new UsageException($"Unknown --xnnpackWeightsCache '{v}': use on or off."),
        };
        int? rate = parse.GetValue(SampleRate);
        if (rate is <= 0) throw new UsageException("Sample rate must be a positive number of Hz.");

        bool verbose = parse.GetValue(Verbose);

        string modelPath = AssetLocator.RequireModel(modelOverride ?? parse.GetValue(Model));
        var options = new AudioClassifierOptions
        {
            Interpreter = new TfLiteInterpreterOptions { Threads = threads, Delegate = kind, XnnPackFlags = XnnPackFlags.Qs8, ShareXnnPackWeights = shareWeights },
            ClassMapCsv = parse.GetValue(Labels) ?? labelsOverride,
            DefaultSampleRate = rate ?? 16000,
            LoggerFactory = verbose ? VerboseLogger.Factory : VerboseLogger.Warnings,
            ExtraOutputs = extraOutputs,
        };
        if (!parse.GetValue(NoModelCheck)) ModelTrialCommand.Require(modelPath, options.Interpreter, verbose);
        var classifier = AudioClassifier.Load(modelPath, options);
        if (rate is { } r && classifier.SampleRateSource == "metadata" && r != classifier.SampleRate)
        {
            int fixedRate = classifier.SampleRate;
            classifier.Dispose();
            throw new UsageException($"--sampleRate {r}: the model's metadata fixes its input at {fixedRate} Hz.");
        }
        if (verbose)
        {
            StdErr.WriteLine($"yamnet: TFLite {TfLiteRuntime.Version}; model {modelPath} (sha256 {classifier.Model.Sha256}); " +
                $"window {classifier.WindowLength} samples at {classifier.SampleRate} Hz ({classifier.SampleRateSource}); {classifier.ClassCount} classes, labels {classifier.Labels.Source}; " +
                $"delegate {DelegateName(kind)}, {threads} thread(s)");
        }
        return classifier;
    }

    /// <summary>Most --jobs worth having: each job holds an interpreter (and its tensors), and past a few per core they only contend.</summary>
    public static int MaxJobs => 4 * Environment.ProcessorCount;

    /// <summary>Clamps --jobs to <see cref="MaxJobs"/>, with a warning on stderr when it had to.</summary>
    public static int BoundJobs(int jobs)
    {
        if (jobs <= MaxJobs) return jobs;
        StdErr.WriteLine($"yamnet: warning: --jobs {jobs} is more than 4 x the {Environment.ProcessorCount} cores; using {MaxJobs}");
        return MaxJobs;
    }

    public static DelegateKind ParseDelegate(string? value) => value?.ToLowerInvariant() switch
    {
        "xnnpack" => DelegateKind.XnnPack,
        "none" or "builtin" => DelegateKind.None,
        _ => throw new UsageException($"Unknown delegate '{value}': use xnnpack or none."),
    };

    public static string DelegateName(DelegateKind kind) => kind == DelegateKind.XnnPack ? "xnnpack-qs8" : "none";
}
