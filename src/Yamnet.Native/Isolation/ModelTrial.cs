using System.Globalization;
using System.Security.Cryptography;
using Yamnet.NativeRuntime;
using Yamnet.TfLite;

namespace Yamnet.Isolation;

/// <summary>
/// Opt-in isolation for models this project has not verified: TFLite 2.9 cannot be patched here,
/// and some well-formed models that pass every structural check still crash its kernels (the YAMNet
/// graph with its output re-pointed at an intermediate tensor segfaults in XNNPACK's Invoke). So an
/// unknown model is first validated here, copied to a private file, and that copy is loaded, built
/// and run twice in a child process (the C <c>tflite-probe</c>, else a re-executed host) on the same
/// TFLite library with the same interpreter settings; a child killed by a signal means "do not run
/// this here". The verdict is cached per model SHA-256, TFLite version and settings
/// (<see cref="CacheKey"/>), so the trial costs one child process per new model and nothing per file.
/// Known models (<see cref="KnownModels"/>) are never tried.
/// </summary>
public static class ModelTrial
{
    /// <summary>Exit code of <see cref="RunChild"/> (and of <c>tflite-probe --trial</c>) when the model was refused with an ordinary error.</summary>
    public const int RefusedExitCode = 3;

    /// <summary>Tries <paramref name="modelPath"/> in a child process (or reads the cached verdict).</summary>
    /// <exception cref="FileNotFoundException">No such model file.</exception>
    /// <exception cref="InvalidOperationException">No child could be started or used.</exception>
    public static ModelVerdict Check(string modelPath, ModelTrialOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChildCommand.Count == 0 && options.ProbePath is null)
            throw new ArgumentException("Neither a probe nor a child command is given.", nameof(options));
        // Remembered per file identity: an unchanged model is not hashed again (see ModelDigestCache).
        string sha = ModelDigestCache.Sha256OfFile(modelPath);
        if (Lookup(sha, options) is { } early) return early;

        // The child gets a validated private copy: nothing but the model itself can crash it, and a
        // file changed after the check cannot be what the child runs.
        byte[] bytes;
        try
        {
            bytes = ReadModel(modelPath);
            string copySha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (copySha != sha && Lookup(sha = copySha, options) is { } changed) return changed;
            ModelValidator.Validate(bytes);
        }
        catch (InvalidModelException e)
        {
            return new ModelVerdict(sha, ModelVerdictKind.Refused, e.Message, FromCache: false) { Source = "validation" };
        }
        string library = LoadedLibrary();
        // The child runs what this process would run: with XNNPACK where it needs padded models, the padded copy.
        if (PadsForXnnPack(options))
        {
            try
            {
                if (FloatGemmPadding.Derive(bytes, out _, out _) is { } padded) bytes = padded;
            }
            catch (InvalidModelException)
            {
                // Not paddable: the child tries the model as it is, as the host's interpreters would not (they fall back).
            }
        }
        var dir = Directory.CreateTempSubdirectory("yamnet-trial-");
        try
        {
            string copy = Path.Combine(dir.FullName, "model.tflite");
            File.WriteAllBytes(copy, bytes);
            var verdict = ModelTrialChild.Run(copy, sha, library, options);
            if (options.CacheDirectory is { } cache && verdict.Kind != ModelVerdictKind.Hung)
                ModelTrialCache.Write(Path.Combine(cache, CacheKey(sha, RuntimeTag(options), options.Interpreter)), verdict);
            return verdict;
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// The cache file name of a verdict: the model's SHA-256, the TFLite version the trial ran on, and
    /// every interpreter setting that changes which kernels run. A verdict from TFLite 2.9 is never
    /// used under 2.19 (2.19 runs models that crash 2.9's XNNPACK) and vice versa.
    /// </summary>
    public static string CacheKey(string sha256, string tfliteVersion, TfLiteInterpreterOptions interpreter)
    {
        ArgumentException.ThrowIfNullOrEmpty(sha256);
        ArgumentException.ThrowIfNullOrEmpty(tfliteVersion);
        ArgumentNullException.ThrowIfNull(interpreter);
        string safeVersion = string.Concat(tfliteVersion.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_'));
        return string.Create(CultureInfo.InvariantCulture,
            $"{sha256}-tflite{safeVersion}-{interpreter.Delegate.ToString().ToLowerInvariant()}-{(uint)interpreter.XnnPackFlags}-t{interpreter.EffectiveThreads}");
    }

    /// <summary>
    /// What the child does: load, build with the given settings, fill float inputs with a tone, invoke
    /// twice. Returns 0 when it ran, <see cref="RefusedExitCode"/> (with one line on stderr) when the
    /// model was refused; a crash kills the process, which is the point. Its first stdout line names the
    /// TFLite library it loaded (<c>library&lt;TAB&gt;version&lt;TAB&gt;path</c>), as <c>tflite-probe --trial</c> does.
    /// </summary>
    public static int RunChild(string modelPath, TfLiteInterpreterOptions interpreter)
    {
        try
        {
            Console.Out.WriteLine($"library\t{TfLiteRuntime.Version}\t{LoadedLibrary()}");
            Console.Out.Flush();
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

    // A known model needs no trial; an unknown one may have a cached verdict for this runtime and settings.
    private static ModelVerdict? Lookup(string sha, ModelTrialOptions options)
    {
        if (KnownModels.NameOf(sha) is not null) return new ModelVerdict(sha, ModelVerdictKind.Known, "", FromCache: false);
        if (options.CacheDirectory is not { } cache) return null;
        return ModelTrialCache.Read(Path.Combine(cache, CacheKey(sha, RuntimeTag(options), options.Interpreter)), sha);
    }

    private static bool PadsForXnnPack(ModelTrialOptions options)
        => options.Interpreter.Delegate == DelegateKind.XnnPack && FloatGemmPadding.IsNeeded(TfLiteRuntime.XnnPackFloatPadding);

    // A verdict on the padded model (see FloatGemmPadding) is not one on the model as it is.
    private static string RuntimeTag(ModelTrialOptions options) => TfLiteRuntime.Version + (PadsForXnnPack(options) ? "-kpad" : "");

    private static byte[] ReadModel(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = RandomAccess.GetLength(file);
        if (length > TfLiteModel.MaxModelBytes) throw new InvalidModelException($"{path}: {length} bytes is larger than the {TfLiteModel.MaxModelBytes}-byte limit");
        var bytes = new byte[length];
        int read = 0;
        while (read < bytes.Length)
        {
            int n = RandomAccess.Read(file, bytes.AsSpan(read), read);
            if (n == 0) break;
            read += n;
        }
        return read == bytes.Length ? bytes : bytes[..read];
    }

    /// <summary>The file this process loaded TFLite from (loading it if needed).</summary>
    internal static string LoadedLibrary()
    {
        _ = TfLiteRuntime.Version;
        return NativeLibraries.Probe(NativeLibraryKind.TfLite).LoadedFrom
            ?? throw new InvalidOperationException("the TFLite library is not loaded");
    }
}
