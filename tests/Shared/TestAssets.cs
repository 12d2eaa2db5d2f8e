namespace Yamnet.Tests;

/// <summary>
/// Finds the checkout root and the shared assets (models, audio, golden outputs).
/// Order: YAMNET_SHARED_DIR, then ../shared beside the checkout. Tests fail (not skip)
/// when assets are missing: the README's test command provisions them.
/// </summary>
public static class TestAssets
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SharedDir { get; } = FindShared();

    public static string Model(string name) => Existing(Path.Combine(SharedDir, "models", name));
    public static string Audio(string name) => Existing(Path.Combine(SharedDir, "audio", name));
    public static string Golden(string name) => Existing(Path.Combine(SharedDir, "golden", name));

    public static string YamnetModel => Model("yamnet.tflite");
    public static string SecondModel => Model("audioset527_5360_no_metadata.tflite");
    public static string ClassMap => Model("yamnet_class_map.csv");
    public static string Meow => Audio("meow_16k.wav");

    /// <summary>A fresh empty directory under the system temp folder.</summary>
    public static string NewTempDir(string tag)
    {
        string dir = Path.Combine(Path.GetTempPath(), "yamnet-tests", tag + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string Existing(string path)
        => File.Exists(path) ? path : throw new FileNotFoundException($"Test asset missing: {path} (run ./test.sh, which provisions it)");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Yamnet.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("Yamnet.sln not found above " + AppContext.BaseDirectory);
    }

    private static string FindShared()
    {
        string? env = Environment.GetEnvironmentVariable("YAMNET_SHARED_DIR");
        if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
        return Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
    }
}
