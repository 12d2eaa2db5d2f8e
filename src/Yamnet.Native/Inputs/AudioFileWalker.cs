namespace Yamnet.Inputs;

/// <summary>
/// Walks directories for input files without running away: every directory is entered once by its
/// (device, inode), so symlink loops (a link to an ancestor, two links to each other) cost one visit;
/// hidden names (a leading '.': <c>.git/</c>, <c>.DS_Store</c>, <c>._*</c> AppleDouble files) are
/// skipped unless <see cref="IncludeHidden"/>; a directory that cannot be read and a name that is not
/// valid UTF-8 become <see cref="Problems"/> instead of silent gaps or "file not found".
/// </summary>
public sealed class AudioFileWalker
{
    private readonly HashSet<(ulong, ulong)> _visited = [];
    private readonly List<WalkProblem> _problems = [];
    private Func<string, bool>? _accept;

    /// <summary>Also take names starting with '.'.</summary>
    public bool IncludeHidden { get; init; }

    /// <summary>Which regular files to take (e.g. by extension); all when null.</summary>
    public Func<string, bool>? Accept { get; init; }

    /// <summary>What the walks so far could not take.</summary>
    public IReadOnlyList<WalkProblem> Problems => _problems;

    /// <summary>Records that <paramref name="path"/> has a name that is not valid UTF-8 (a glob's match, say).</summary>
    public void ReportInvalidName(string path)
        => _problems.Add(new WalkProblem(path, InvalidNameReason));

    private const string InvalidNameReason = "the file name is not valid UTF-8 and cannot be opened from .NET; rename it (e.g. convmv -f latin1 -t utf8)";

    /// <summary>True for a name a walk skips unless <see cref="IncludeHidden"/>.</summary>
    public static bool IsHidden(string name) => name.Length > 0 && name[0] == '.';

    /// <summary>The files under <paramref name="root"/>, sorted ordinally by path.</summary>
    public List<string> Walk(string root) => Walk(root, Accept);

    /// <summary>The files under <paramref name="root"/> that <paramref name="accept"/> takes (all when null), sorted ordinally.</summary>
    public List<string> Walk(string root, Func<string, bool>? accept)
    {
        var files = new List<string>();
        _visited.Clear();
        _accept = accept;
        Visit(root, files, null);
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary><paramref name="root"/> and every directory under it, each once (the <c>**</c> of a glob), sorted ordinally.</summary>
    public List<string> Directories(string root)
    {
        var dirs = new List<string>();
        _visited.Clear();
        Visit(root, null, dirs);
        dirs.Sort(StringComparer.Ordinal);
        return dirs;
    }

    private void Visit(string dir, List<string>? files, List<string>? dirs)
    {
        if (!FileIdentity.TryGet(dir, followLinks: true, out var id, out _) || !_visited.Add((id.Device, id.Inode))) return;
        dirs?.Add(dir);
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _problems.Add(new WalkProblem(dir, e is UnauthorizedAccessException ? "cannot read the directory: permission denied" : "cannot read the directory: " + e.Message));
            return;
        }
        foreach (string path in entries)
        {
            string name = Path.GetFileName(path);
            if (!IncludeHidden && IsHidden(name)) continue;
            if (name.Contains('\uFFFD'))
            {
                if (_accept is not null && !_accept(path) && Path.HasExtension(name)) continue;
                // .NET decodes file names as UTF-8; the bytes of an invalid name are lost, so it cannot be opened by name.
                ReportInvalidName(path);
                continue;
            }
            if (!FileIdentity.TryGet(path, followLinks: true, out var entry, out _)) continue; // dangling link
            if (entry.Kind == FileKind.Directory) Visit(path, files, dirs);
            else if (files is not null && entry.Kind == FileKind.Regular && (_accept is null || _accept(path))) files.Add(path);
        }
    }
}
