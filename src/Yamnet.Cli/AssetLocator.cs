namespace Yamnet.Cli;

/// <summary>
/// Finds the model file. Search order (first existing file wins):
/// <list type="number">
/// <item>the <c>--model</c> option (used as given: a missing file is an error, no fallback);</item>
/// <item>the environment variable <c>YAMNET_MODEL</c> (same: must exist when set);</item>
/// <item><c>models/yamnet.tflite</c> under the nearest ancestor of the current directory that has one,
/// then of the directory holding the yamnet binary;</item>
/// <item><c>../shared/models/yamnet.tflite</c> beside the project root (the nearest ancestor of the
/// current directory, then of the binary, that contains <c>Yamnet.sln</c> or a <c>models</c> folder).</item>
/// </list>
/// When nothing is found, every place tried is listed.
/// </summary>
public static class AssetLocator
{
    public const string ModelEnvironmentVariable = "YAMNET_MODEL";
    public const string DefaultModelFile = "yamnet.tflite";

    public sealed record Result(string? Path, IReadOnlyList<string> Tried);

    public static Result FindModel(string? explicitPath)
    {
        var tried = new List<string>();
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            tried.Add($"--model {explicitPath}");
            return new Result(File.Exists(explicitPath) ? explicitPath : null, tried);
        }
        string? env = Environment.GetEnvironmentVariable(ModelEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            tried.Add($"${ModelEnvironmentVariable}={env}");
            return new Result(File.Exists(env) ? env : null, tried);
        }

        var starts = new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string start in starts)
        {
            foreach (string dir in Ancestors(start))
            {
                string candidate = Path.Combine(dir, "models", DefaultModelFile);
                if (!seen.Add(candidate)) continue;
                tried.Add(candidate);
                if (File.Exists(candidate)) return new Result(candidate, tried);
            }
        }
        foreach (string start in starts)
        {
            string? root = Ancestors(start).FirstOrDefault(d => File.Exists(Path.Combine(d, "Yamnet.sln")) || Directory.Exists(Path.Combine(d, "models")));
            if (root is null) continue;
            string candidate = Path.GetFullPath(Path.Combine(root, "..", "shared", "models", DefaultModelFile));
            if (!seen.Add(candidate)) continue;
            tried.Add(candidate);
            if (File.Exists(candidate)) return new Result(candidate, tried);
        }
        return new Result(null, tried);
    }

    /// <summary>The model path, or a <see cref="UsageException"/> listing every place tried.</summary>
    public static string RequireModel(string? explicitPath)
    {
        var r = FindModel(explicitPath);
        if (r.Path is not null) return r.Path;
        throw new UsageException($"model not found; tried: {string.Join("; ", r.Tried)}. Pass --model <file> or set {ModelEnvironmentVariable}.");
    }

    /// <summary>The directory and each of its parents, nearest first.</summary>
    internal static IEnumerable<string> Ancestors(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            yield return dir.FullName;
    }
}
