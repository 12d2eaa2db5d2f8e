using System.CommandLine;
using Yamnet.Cli;
using Yamnet.Cli.Commands;

// One line per command: bench/listen plug in the same way.
var root = new RootCommand("yamnet: classify sounds with Google's YAMNet (or another TFLite audio classifier).")
{
    ClassifyCommand.Create(),
    InfoCommand.Create(),
    BenchCommand.Create(),
    ListenCommand.Create(),
    EmbedCommand.Create(),
    PlotCommand.Create(),
};
int exitCode = CliHost.Run(root, args);
PeakRss.ReportIfAsked();
return exitCode;
