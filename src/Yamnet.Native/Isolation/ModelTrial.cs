using System.Diagnostics;
using System.Globalization;
using Yamnet.TfLite;

namespace Yamnet.Isolation;

/// <summary>
/// Opt-in isolation for models this project has not verified: TFLite 2.9 cannot be patched here,
/// and some well-formed models that pass every structural check still crash its kernels (the YAMNet
/// graph with its output re-pointed at an intermediate tensor segfaults in XNNPACK's Invoke). So an
/// unknown model is first loaded, built and run twice in a child process with the same interpreter
/// settings; a child killed by a signal means "do not run this here". The verdict is cached per
/// model SHA-256, TFLite version and settings, so the trial costs one child process per new model and
/// nothing per file. Known models (<see cref="KnownModels"/>) are never tried.
/// </summary>
public static class ModelTrial
{
    /// <summary>Exit code of <see cref="RunChild"/> when the model was refused with an ordinary error.</summary>
    public const int RefusedExitCode = 3;

    /// <summary>Tries <paramref name="modelPath"/> in a child process (or reads the cached verdict).</summary>
    /// <exception cref="FileNotFoundException">No such model file.</exception>
    /// <exception cref="InvalidOperationException">The child command could not be started.</exception>
    public static ModelVerdict Check(string modelPath, ModelTrialOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChildCommand.Count == 0) throw new ArgumentException("The child command is empty.", nameof(options));
        // Remembered per file identity: an unchanged model is not hashed again (see ModelDigestCache).
        string sha = ModelDigestCache.Sha256OfFile(modelPath);
        if (KnownModels.NameOf(sha) is not null) return new ModelVerdict(sha, ModelVerdictKind.Known, "", FromCache: false);

        var settings = options.Interpreter;
        string key = string.Create(CultureInfo.InvariantCulture,
            $"{sha}-tflite{TfLiteRuntime.Version}-{settings.Delegate.ToString().ToLowerInvariant()}-{(uint)settings.XnnPackFlags}-t{settings.Threads}");
        string? cacheFile = options.CacheDirectory is { } dir ? Path.Combine(dir, key) : null;
        if (cacheFile is not null && ReadCached(cacheFile, sha) is { } cached) return cached;

        var verdict = RunTrial(modelPath, sha, options);
        if (cacheFile is not null && verdict.Kind != ModelVerdictKind.Hung) WriteCached(cacheFile, verdict);
        return verdict;
    }

    /// <summary>
    /// What the child does: load, build with the given settings, fill float inputs with a tone, invoke
    /// twice. Returns 0 when it ran, <see cref="RefusedExitCode"/> (with one line on stderr) when the
    /// model was refused; a crash kills the process, which is the point.
    /// </summary>
    public static int RunChild(string modelPath, TfLiteInterpreterOptions interpreter)
    {
        try
        {
            using var model = TfLiteModel.FromFile(modelPath);
            using var session = TfLiteInterpreter.Create(model, interpreter);
            for (int i = 0; i < session.InputCount; i++)
            {
                if (session.GetInputInfo(i).Type != TensorType.Float32) continue;
                var input = session.GetInputSpan<float>(i);
                for (int k = 0; k < input.Length; k++) input[k] = 0.25f * MathF.Sin(k * 2 * MathF.PI * 440f / 16000f);
            }
            session.Invoke();
            session.Invoke();
            return 0;
        }
        catch (Exception e)
        {
            try
            {
                Console.Error.WriteLine(string.Join(' ', e.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)));
            }
            catch (IOException)
            {
            }
            return RefusedExitCode;
        }
    }

    /// <summary>Reads the four arguments <see cref="Check"/> appends to the child command (path, delegate, flags, threads).</summary>
    public static bool TryParseChildArguments(IReadOnlyList<string> args, out string modelPath, out TfLiteInterpreterOptions interpreter)
    {
        modelPath = "";
        interpreter = TfLiteInterpreterOptions.Default;
        if (args.Count != 4 || args[0].Length == 0) return false;
        if (!Enum.TryParse(args[1], ignoreCase: true, out DelegateKind kind)
            || !uint.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint flags)
            || !int.TryParse(args[3], NumberStyles.None, CultureInfo.InvariantCulture, out int threads) || threads < 1)
            return false;
        modelPath = args[0];
        interpreter = new TfLiteInterpreterOptions { Delegate = kind, XnnPackFlags = (XnnPackFlags)flags, Threads = threads };
        return true;
    }

    /// <summary>The one-line message for a verdict that is not safe, naming what crashed and what to try.</summary>
    public static string Describe(ModelVerdict verdict, TfLiteInterpreterOptions interpreter)
    {
        string version = TfLiteRuntime.Version;
        string majorMinor = string.Join('.', version.Split('.').Take(2));
        string kernels = interpreter.Delegate == DelegateKind.XnnPack ? "XNNPACK delegate" : "builtin kernels";
        string advice = interpreter.Delegate == DelegateKind.XnnPack ? "; try --delegate none" : "";
        return verdict.Kind switch
        {
            ModelVerdictKind.Crashed => $"this model crashes TFLite {majorMinor}'s {kernels} ({verdict.Detail} in a trial run in a child process){advice}",
            ModelVerdictKind.Hung => $"this model did not finish a trial run with TFLite {majorMinor}'s {kernels} ({verdict.Detail}){advice}",
            _ => "",
        };
    }

    private static ModelVerdict RunTrial(string modelPath, string sha, ModelTrialOptions options)
    {
        var settings = options.Interpreter;
        var psi = new ProcessStartInfo(options.ChildCommand[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in options.ChildCommand.Skip(1)) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(Path.GetFullPath(modelPath));
        psi.ArgumentList.Add(settings.Delegate.ToString());
        psi.ArgumentList.Add(((uint)settings.XnnPackFlags).ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(settings.Threads.ToString(CultureInfo.InvariantCulture));
        // A crashing child must not leave a core file per trial.
        psi.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        Process child;
        try
        {
            child = Process.Start(psi) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException($"cannot start the model trial child '{options.ChildCommand[0]}': {e.Message}", e);
        }
        using (child)
        {
            child.StandardInput.Close();
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            if (!child.WaitForExit(options.Timeout))
            {
                try
                {
                    child.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
                child.WaitForExit();
                return new ModelVerdict(sha, ModelVerdictKind.Hung, $"still running after {options.Timeout.TotalSeconds:0} s", FromCache: false);
            }
            child.WaitForExit();
            string err = stderr.GetAwaiter().GetResult();
            _ = stdout.GetAwaiter().GetResult();
            int code = child.ExitCode;
            if (code == 0) return new ModelVerdict(sha, ModelVerdictKind.Ran, "", FromCache: false);
            if (code == RefusedExitCode)
            {
                string line = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "refused";
                return new ModelVerdict(sha, ModelVerdictKind.Refused, line, FromCache: false);
            }
            // A process killed by signal N exits as 128 + N (the runtime re-raises fatal signals).
            return new ModelVerdict(sha, ModelVerdictKind.Crashed, code > 128 ? SignalName(code - 128) : $"exit code {code}", FromCache: false);
        }
    }

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

    private static ModelVerdict? ReadCached(string file, string sha)
    {
        try
        {
            string[] parts = File.ReadAllText(file).TrimEnd('\n').Split('\t', 2);
            if (!Enum.TryParse(parts[0], ignoreCase: true, out ModelVerdictKind kind) || kind is ModelVerdictKind.Known or ModelVerdictKind.Hung) return null;
            return new ModelVerdict(sha, kind, parts.Length > 1 ? parts[1] : "", FromCache: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void WriteCached(string file, ModelVerdict verdict)
    {
        // Best effort: a read-only or full cache only means the trial is repeated next time.
        string temp = file + "." + Environment.ProcessId + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(temp, verdict.Kind.ToString().ToLowerInvariant() + "\t" + verdict.Detail.Replace('\n', ' ') + "\n");
            File.Move(temp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
