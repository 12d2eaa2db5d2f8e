using System.CommandLine;
using Yamnet.Cli;
using Yamnet.Cli.Commands;

// The CLI owns its process: TFLite's direct stderr lines (the one-time "INFO: Created TensorFlow Lite
// XNNPACK delegate") are captured into the log, which only --verbose prints. A library host decides this for itself.
Yamnet.TfLite.TfLiteRuntime.CaptureNativeStderr = true;
// The CLI is a short process started again and again: remembering each model's SHA-256 by file
// identity saves hashing 4 MB on every start. A library host opts in itself.
Yamnet.TfLite.TfLiteRuntime.ModelDigestCacheDirectory = Yamnet.TfLite.TfLiteRuntime.UserCacheDirectory("model-digests");

// One line per command: bench/listen plug in the same way.
var root = new RootCommand("yamnet: classify sounds with Google's YAMNet (or another TFLite audio classifier).")
{
    ClassifyCommand.Create(),
    InfoCommand.Create(),
    DoctorCommand.Create(),
    BenchCommand.Create(),
    ListenCommand.Create(),
    DetectCommand.Create(),
    EvalCommand.Create(),
    EmbedCommand.Create(),
    PlotCommand.Create(),
    ModelTrialCommand.Create(),
    XnnPackModelCommand.Create(),
};
int exitCode = CliHost.Run(root, args);
PeakRss.ReportIfAsked();
return exitCode;
