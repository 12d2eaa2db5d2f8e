using System.CommandLine;
using System.Text.Json;

namespace Yamnet.Cli.Commands;

/// <summary><c>yamnet bench --isolation</c>: runs <see cref="BenchTrial"/> and <see cref="BenchResume"/> and prints their figures.</summary>
internal static class BenchIsolation
{
    internal static int Run(CommonOptions common, ParseResult parse, string clip, int inputs, string format)
    {
        if (inputs < 2 || inputs > 1_000_000) throw new UsageException("--isolation-inputs must be in [2, 1000000].");
        string model;
        Yamnet.TfLite.TfLiteInterpreterOptions interpreter;
        using (var c = common.LoadClassifier(parse))
        {
            model = c.Model.Source;
            interpreter = c.Options.Interpreter;
        }
        Action<string> say = format == "text" ? Console.Out.WriteLine : _ => { };
        var trial = new BenchTrial(model, interpreter, say).Measure(runs: 10, cachedRuns: 1000);
        var resume = new BenchResume(model, clip, say).Measure(inputs);
        if (format == "json")
        {
            using var stdout = Console.OpenStandardOutput();
            using (var j = new Utf8JsonWriter(stdout))
            {
                j.WriteStartObject();
                j.WriteStartObject("model_trial");
                Number(j, "probe_min_ms", trial.ProbeMinMs);
                Number(j, "probe_median_ms", trial.ProbeMedianMs);
                Number(j, "reexec_min_ms", trial.ReexecMinMs);
                Number(j, "reexec_median_ms", trial.ReexecMedianMs);
                Number(j, "cached_mean_ms", trial.CachedMeanMs);
                j.WriteNumber("runs", trial.Runs);
                j.WriteNumber("cached_runs", trial.CachedRuns);
                j.WriteEndObject();
                j.WriteStartObject("resume");
                j.WriteNumber("inputs", resume.Inputs);
                Number(j, "library_us_per_input", resume.LibraryUsPerInput);
                Number(j, "sidecar_us_per_input", resume.SidecarUsPerInput);
                Number(j, "cli_us_per_input", resume.CliUsPerInput);
                Number(j, "cli_one_input_ms", resume.CliOneInputMs);
                Number(j, "cli_all_ms", resume.CliAllMs);
                j.WriteEndObject();
                j.WriteEndObject();
            }
            stdout.WriteByte((byte)'\n');
        }
        return ExitCodes.Ok;
    }

    // NaN (no probe found) is written as null: JSON has no NaN.
    private static void Number(Utf8JsonWriter j, string name, double value)
    {
        if (double.IsFinite(value)) j.WriteNumber(name, Math.Round(value, 3));
        else j.WriteNull(name);
    }
}
