namespace Yamnet.Service.Sources;

/// <summary>The ffmpeg binary a source needs is not installed; the message names the Debian package.</summary>
public sealed class FfmpegNotFoundException(string binary)
    : IOException($"'{binary}' not found: network streams and files are read through ffmpeg; install it with 'sudo apt-get install ffmpeg' (Debian package ffmpeg)")
{
    public string Binary { get; } = binary;

    /// <summary>The full path of <paramref name="binary"/> (a path, or a name looked up on PATH); null when missing.</summary>
    public static string? Locate(string binary)
    {
        if (binary.Contains('/')) return File.Exists(binary) ? Path.GetFullPath(binary) : null;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, binary);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
