using System.Text;

namespace Yamnet.Batch;

/// <summary>
/// <c>--output-dir DIR</c>: one result file per input, shared by every command that writes per-input
/// results (classify, detect, embed).
/// <list type="bullet">
/// <item><b>Name</b>: the input's path relative to the current directory (or, outside it, its absolute
/// path without the leading '/'), under DIR, plus the format's suffix: <c>rec/a.flac</c> →
/// <c>DIR/rec/a.flac.json</c>. Keeping the input's extension avoids <c>a.wav</c>/<c>a.flac</c>
/// clashes; <c>..</c> segments become <c>__</c> so nothing lands outside DIR.</item>
/// <item><b>Atomic</b>: written to a hidden temp file in the same directory, flushed to disk, then
/// renamed over the final name, so a killed run leaves either the old state or a complete result
/// (stale temp files are ignored and replaced).</item>
/// <item><b>Stamp</b>: each result carries the run's <see cref="RunFingerprint"/>: in its first
/// <see cref="StampSearchBytes"/> bytes (formats with a header, e.g. JSON) or, for formats that cannot
/// carry it (CSV, Audacity labels), in a hidden sidecar <c>.NAME.yamnet-run</c> written before the
/// result. A result whose stamp matches is <see cref="ResultState.Done"/> (skipped); any other file is
/// <see cref="ResultState.Foreign"/> and is never replaced unless <see cref="Overwrite"/> is set.</item>
/// </list>
/// Safe for several processes (shards) writing into one directory at once: each input has one result
/// path, temp names are unique per process, and rename is atomic on one file system.
/// </summary>
public sealed class ResultDirectory
{
    /// <summary>How much of a result's head <see cref="Check"/> reads to find the stamp.</summary>
    public const int StampSearchBytes = 4096;

    private const string SidecarSuffix = ".yamnet-run";

    /// <param name="root">The output directory (created if missing).</param>
    /// <param name="suffix">Appended to the input's name, e.g. <c>.json</c> or <c>.labels.txt</c>.</param>
    /// <param name="fingerprint">The run's fingerprint (64 hex digits).</param>
    /// <param name="stampInSidecar">True for formats that cannot carry the stamp in their first bytes.</param>
    public ResultDirectory(string root, string suffix, string fingerprint, bool stampInSidecar)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(suffix);
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        if (fingerprint.Length < 32 || !fingerprint.All(char.IsAsciiHexDigit))
            throw new ArgumentException("The fingerprint is a hex digest (RunFingerprint.Hex).", nameof(fingerprint));
        Root = Path.GetFullPath(root);
        Suffix = suffix;
        Fingerprint = fingerprint;
        StampInSidecar = stampInSidecar;
    }

    public string Root { get; }

    public string Suffix { get; }

    public string Fingerprint { get; }

    public bool StampInSidecar { get; }

    /// <summary>Replace <see cref="ResultState.Foreign"/> files (results with a matching stamp are still skipped).</summary>
    public bool Overwrite { get; init; }

    /// <summary>Creates the root directory; throws <see cref="IOException"/> when it cannot be created or is not a directory.</summary>
    public void EnsureRoot()
    {
        if (File.Exists(Root)) throw new IOException($"output directory {Root} is a file");
        Directory.CreateDirectory(Root);
    }

    /// <summary>Where the result of <paramref name="input"/> goes.</summary>
    public string ResultPathFor(string input) => Path.Combine(Root, RelativeNameFor(input) + Suffix);

    /// <summary>The input's name under the root (see the class remarks), without the suffix.</summary>
    public static string RelativeNameFor(string input)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        string full = Path.GetFullPath(input);
        string cwd = Path.GetFullPath(Environment.CurrentDirectory);
        string rel = Path.GetRelativePath(cwd, full);
        if (rel == ".." || rel.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(rel)) rel = full.TrimStart('/');
        var parts = rel.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p == ".." ? "__" : p == "." ? "_" : p);
        return string.Join('/', parts);
    }

    /// <summary>The state of <paramref name="input"/>'s result. Costs one stat and, if a file is there, one read of its head.</summary>
    public ResultState Check(string input) => CheckPath(ResultPathFor(input));

    private ResultState CheckPath(string path)
    {
        if (!File.Exists(path)) return Directory.Exists(path) ? ResultState.Foreign : ResultState.Missing;
        string stampFile = StampInSidecar ? SidecarPathFor(path) : path;
        try
        {
            using var f = new FileStream(stampFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            Span<byte> head = stackalloc byte[StampSearchBytes];
            int n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            Span<byte> stamp = stackalloc byte[Fingerprint.Length];
            Encoding.ASCII.GetBytes(Fingerprint, stamp);
            return head[..n].IndexOf(stamp) >= 0 ? ResultState.Done : ResultState.Foreign;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ResultState.Foreign;
        }
    }

    /// <summary>
    /// Writes <paramref name="input"/>'s result atomically: <paramref name="write"/> fills a temp file
    /// (the stamp is the caller's to embed unless <see cref="StampInSidecar"/>), which is then flushed
    /// and renamed into place. Returns false, writing nothing, when a <see cref="ResultState.Foreign"/>
    /// file is there and <see cref="Overwrite"/> is not set. If <paramref name="write"/> throws, the temp
    /// file is removed and the previous state is untouched.
    /// </summary>
    public bool Write(string input, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string path = ResultPathFor(input);
        var state = CheckPath(path);
        if (state == ResultState.Foreign && !Overwrite) return false;
        if (Directory.Exists(path)) throw new IOException($"{path} is a directory");
        string dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        if (StampInSidecar) WriteAtomically(SidecarPathFor(path), s => s.Write(Encoding.ASCII.GetBytes(Fingerprint + "\n")));
        WriteAtomically(path, write);
        return true;
    }

    /// <summary>The hidden file beside <paramref name="resultPath"/> that holds its stamp.</summary>
    public static string SidecarPathFor(string resultPath)
        => Path.Combine(Path.GetDirectoryName(resultPath)!, "." + Path.GetFileName(resultPath) + SidecarSuffix);

    private static void WriteAtomically(string path, Action<Stream> write)
    {
        string temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var f = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(f);
                f.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
