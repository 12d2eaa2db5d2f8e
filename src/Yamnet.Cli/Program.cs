using System.CommandLine;
using Yamnet.Cli;
using Yamnet.Cli.Commands;

// The CLI owns its process: TFLite's direct stderr lines (the one-time "INFO: Created TensorFlow Lite
// XNNPACK delegate") are captured into the log, which only --verbose prints. A library host decides this for itself.
Yamnet.TfLite.TfLiteRuntime.CaptureNativeStderr = true;

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
};
int exitCode = CliHost.Run(root, args);
PeakRss.ReportIfAsked();
return exitCode;
