using System.Diagnostics;
using System.Globalization;
using Yamnet.Inputs;
using Yamnet.TfLite;

namespace Yamnet.Isolation;

/// <summary>
/// Starts the trial's child (the probe first, else the child command), checks that it loaded the
/// same TFLite library as this process (its first stdout line), and turns its exit into a verdict.
/// A child that cannot be used (missing, an old probe without --trial, another library) is passed
/// over for the next one; when none is left the trial fails rather than guessing.
/// </summary>
internal static class ModelTrialChild
{
    internal static ModelVerdict Run(string modelCopy, string sha, string library, ModelTrialOptions options)
    {
        var reasons = new List<string>();
        var settings = options.Interpreter;
        if (options.ProbePath is { } probe)
        {
            var psi = NewStartInfo(probe);
            foreach (string a in new[] { "--trial", "--model", modelCopy, "--delegate", settings.Delegate == DelegateKind.XnnPack ? "xnnpack" : "none",
                         "--threads", settings.EffectiveThreads.ToString(CultureInfo.InvariantCulture),
                         "--xnnpack-flags", ((uint)settings.XnnPackFlags).ToString(CultureInfo.InvariantCulture) })
                psi.ArgumentList.Add(a);
            // The probe links libtensorflowlite_c.so by RUNPATH; a preloaded library of that soname wins.
            string? preload = Environment.GetEnvironmentVariable("LD_PRELOAD");
            psi.Environment["LD_PRELOAD"] = string.IsNullOrEmpty(preload) ? library : library + ":" + preload;
            if (TryRun(psi, "tflite-probe", sha, library, options.Timeout, out var verdict, out string why)) return verdict;
            reasons.Add($"{probe}: {why}");
        }
        if (options.ChildCommand.Count > 0)
        {
            var psi = NewStartInfo(options.ChildCommand[0]);
            foreach (string a in options.ChildCommand.Skip(1)) psi.ArgumentList.Add(a);
            psi.ArgumentList.Add(modelCopy);
            psi.ArgumentList.Add(settings.Delegate.ToString());
            psi.ArgumentList.Add(((uint)settings.XnnPackFlags).ToString(CultureInfo.InvariantCulture));
            psi.ArgumentList.Add(settings.EffectiveThreads.ToString(CultureInfo.InvariantCulture));
            psi.Environment["YAMNET_TFLITE_LIB"] = library;
            // A crashing .NET child must not leave a core file per trial.
            psi.Environment["DOTNET_DbgEnableMiniDump"] = "0";
            if (TryRun(psi, Path.GetFileName(options.ChildCommand[0]), sha, library, options.Timeout, out var verdict, out string why)) return verdict;
            reasons.Add($"{options.ChildCommand[0]}: {why}");
        }
        throw new InvalidOperationException("cannot run the model trial: " + string.Join("; ", reasons));
    }

    private static ProcessStartInfo NewStartInfo(string program) => new(program)
    {
        UseShellExecute = false,
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };

    private static bool TryRun(ProcessStartInfo psi, string name, string sha, string library, TimeSpan timeout, out ModelVerdict verdict, out string why)
    {
        verdict = null!;
        Process child;
        try
        {
            child = Process.Start(psi) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            why = "cannot start it: " + e.Message;
            return false;
        }
        using (child)
        {
            child.StandardInput.Close();
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            if (!child.WaitForExit(timeout))
            {
                try { child.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                child.WaitForExit();
                why = "";
                verdict = new ModelVerdict(sha, ModelVerdictKind.Hung, $"still running after {timeout.TotalSeconds:0} s", FromCache: false) { Source = name };
                return true;
            }
            child.WaitForExit();
            string err = stderr.GetAwaiter().GetResult(), @out = stdout.GetAwaiter().GetResult();
            int code = child.ExitCode;
            string first = @out.Split('\n', 2)[0];
            if (!first.StartsWith("library\t", StringComparison.Ordinal))
            {
                why = code == 2 ? "it does not know the trial (rebuild it: native/build-probe.sh)" : $"it did not name its TFLite library (exit code {code})";
                return false;
            }
            string[] parts = first.Split('\t', 3);
            if (parts.Length < 3 || parts[1] != TfLiteRuntime.Version || !SameFile(parts[2], library))
            {
                why = $"it loaded '{(parts.Length > 2 ? parts[2] : "?")}' ({(parts.Length > 1 ? parts[1] : "?")}), not this process's {library} ({TfLiteRuntime.Version})";
                return false;
            }
            why = "";
            verdict = code switch
            {
                0 => new ModelVerdict(sha, ModelVerdictKind.Ran, "", FromCache: false),
                ModelTrial.RefusedExitCode => new ModelVerdict(sha, ModelVerdictKind.Refused, LastLine(err), FromCache: false),
                // A process killed by signal N exits as 128 + N (the .NET runtime re-raises fatal signals).
                > 128 => new ModelVerdict(sha, ModelVerdictKind.Crashed, SignalName(code - 128), FromCache: false),
                _ => new ModelVerdict(sha, ModelVerdictKind.Crashed, $"exit code {code}", FromCache: false),
            };
            verdict = verdict with { Source = name };
            return true;
        }
    }

    private static string LastLine(string stderr)
    {
        string line = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "refused";
        const string probePrefix = "tflite-probe: error: ";
        return line.StartsWith(probePrefix, StringComparison.Ordinal) ? line[probePrefix.Length..] : line;
    }

    private static bool SameFile(string a, string b)
        => FileIdentity.TryGet(a, followLinks: true, out var x, out _) && FileIdentity.TryGet(b, followLinks: true, out var y, out _)
           && x.Device == y.Device && x.Inode == y.Inode;

    private static string SignalName(int signal) => signal switch
    {
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        _ => "signal " + signal.ToString(CultureInfo.InvariantCulture),
    };
}
