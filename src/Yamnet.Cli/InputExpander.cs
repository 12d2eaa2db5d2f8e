using Yamnet.Inputs;

namespace Yamnet.Cli;

/// <summary>One input to classify, in command-line order. <see cref="Error"/> is set when the argument named nothing usable.</summary>
public sealed record InputFile(string Path, string? Error = null);

/// <summary>
/// Turns --wavFile values and positional arguments into an ordered list of files: a file is taken as
/// is; a directory adds its audio files recursively (sorted); an argument with * ? or [ is a glob
/// (<c>*</c>, <c>?</c>, <c>[abc]</c> within a path segment, <c>**</c> for any number of directories).
/// Duplicates keep their first position. An argument that names nothing becomes a failed input.
/// Directories are walked by <see cref="AudioFileWalker"/>: symlink loops entered once, hidden names
/// skipped unless <c>--hidden</c> (globs too, as in a shell), unreadable directories reported as failed inputs.
/// <c>-</c> is standard input.
/// </summary>
public static class InputExpander
{
    public static readonly string[] AudioExtensions = ["wav", "flac", "ogg", "oga", "opus", "mp3", "aif", "aiff", "au"];

    public static List<InputFile> Expand(IEnumerable<string> arguments, bool includeHidden = false)
    {
        var walker = new AudioFileWalker { IncludeHidden = includeHidden, Accept = IsAudioFile };
        var result = new List<InputFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string path, string display)
        {
            if (seen.Add(Path.GetFullPath(path))) result.Add(new InputFile(display));
        }

        foreach (string arg in arguments)
        {
            int problems = walker.Problems.Count;
            if (arg == "-")
            {
                result.Add(new InputFile(arg));
            }
            else if (arg.Contains('\uFFFD'))
            {
                // .NET decodes arguments as UTF-8: an invalid byte is replaced, so the name no longer names the file.
                result.Add(new InputFile(arg, "the name is not valid UTF-8 and cannot be opened from .NET; rename the file (e.g. convmv -f latin1 -t utf8) or pass it on stdin: yamnet classify - < FILE"));
            }
            else if (Directory.Exists(arg))
            {
                var files = walker.Walk(arg);
                if (files.Count == 0 && walker.Problems.Count == problems) result.Add(new InputFile(arg, "directory holds no audio files (" + string.Join("/", AudioExtensions) + ")"));
                foreach (string f in files) Add(f, f);
            }
            else if (File.Exists(arg) || !IsGlob(arg))
            {
                // A missing plain path stays in place so that its failure is reported in order.
                if (File.Exists(arg)) Add(arg, arg);
                else result.Add(new InputFile(arg));
            }
            else
            {
                var matches = Glob(arg, walker).ToList();
                if (matches.Count == 0) result.Add(new InputFile(arg, "no file matches the pattern"));
                foreach (string f in matches) Add(f, f);
            }
            foreach (var p in walker.Problems.Skip(problems)) result.Add(new InputFile(p.Path, p.Reason));
        }
        return result;
    }

    public static bool IsAudioFile(string path)
    {
        string ext = Path.GetExtension(path).TrimStart('.');
        return AudioExtensions.Contains(ext, StringComparer.OrdinalIgnoreCase);
    }

    public static bool IsGlob(string s) => s.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>Files matching <paramref name="pattern"/>, sorted ordinally.</summary>
    public static IEnumerable<string> Glob(string pattern, AudioFileWalker? walker = null)
    {
        walker ??= new AudioFileWalker();
        string normalized = pattern.Replace('\\', '/');
        bool rooted = normalized.StartsWith('/');
        var segments = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int firstWild = Array.FindIndex(segments, IsGlob);
        if (firstWild < 0) return File.Exists(pattern) ? [pattern] : [];
        string baseDir = string.Join('/', segments[..firstWild]);
        if (rooted) baseDir = "/" + baseDir;
        string display = baseDir;
        if (baseDir.Length == 0) baseDir = ".";
        if (!Directory.Exists(baseDir)) return [];
        var matches = new List<string>();
        Match(baseDir, display, segments.AsSpan(firstWild).ToArray(), 0, matches, walker);
        return matches.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }

    private static void Match(string dir, string display, string[] segs, int i, List<string> matches, AudioFileWalker walker)
    {
        static string Join(string display, string name) => display.Length == 0 ? name : display.EndsWith('/') ? display + name : display + "/" + name;
        string seg = segs[i];
        bool last = i == segs.Length - 1;
        if (seg == "**")
        {
            // Every directory below, each once (a symlink loop is not walked round).
            if (last)
            {
                foreach (string f in walker.Walk(dir, accept: null))
                    matches.Add(Join(display, Path.GetRelativePath(dir, f).Replace('\\', '/')));
                return;
            }
            foreach (string sub in walker.Directories(dir))
            {
                string rel = Path.GetRelativePath(dir, sub).Replace('\\', '/');
                Match(sub, rel == "." ? display : Join(display, rel), segs, i + 1, matches, walker);
            }
            return;
        }
        if (last)
        {
            foreach (string f in SafeFiles(dir))
            {
                if (!Visible(walker, seg, f) || !SegmentMatches(seg, Path.GetFileName(f))) continue;
                if (f.Contains('\uFFFD')) walker.ReportInvalidName(Join(display, Path.GetFileName(f)));
                else matches.Add(Join(display, Path.GetFileName(f)));
            }
            return;
        }
        foreach (string sub in SafeDirs(dir))
            if (Visible(walker, seg, sub) && SegmentMatches(seg, Path.GetFileName(sub))) Match(sub, Join(display, Path.GetFileName(sub)), segs, i + 1, matches, walker);
    }

    /// <summary>As in a shell: a wildcard does not match a leading '.', a pattern that starts with one does.</summary>
    private static bool Visible(AudioFileWalker walker, string segment, string path)
        => walker.IncludeHidden || segment.StartsWith('.') || !AudioFileWalker.IsHidden(Path.GetFileName(path));

    private static IEnumerable<string> SafeDirs(string dir)
    {
        try { return Directory.GetDirectories(dir); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    private static IEnumerable<string> SafeFiles(string dir)
    {
        try { return Directory.GetFiles(dir); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    /// <summary>Matches one path segment against * (any run), ? (one char) and [set] / [!set] (case-sensitive).</summary>
    public static bool SegmentMatches(string pattern, string name)
    {
        int p = 0, n = 0, starP = -1, starN = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starN = n;
                continue;
            }
            if (p < pattern.Length && MatchOne(pattern, ref p, name[n], out int next))
            {
                p = next;
                n++;
                continue;
            }
            if (starP < 0) return false;
            p = starP + 1;
            n = ++starN;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    private static bool MatchOne(string pattern, ref int p, char c, out int next)
    {
        char pc = pattern[p];
        if (pc == '?')
        {
            next = p + 1;
            return true;
        }
        if (pc == '[')
        {
            int close = pattern.IndexOf(']', p + 2);
            if (close > 0)
            {
                int i = p + 1;
                bool negate = pattern[i] is '!' or '^';
                if (negate) i++;
                bool hit = false;
                for (; i < close; i++)
                {
                    if (i + 2 < close && pattern[i + 1] == '-')
                    {
                        if (c >= pattern[i] && c <= pattern[i + 2]) hit = true;
                        i += 2;
                    }
                    else if (pattern[i] == c) hit = true;
                }
                next = close + 1;
                return hit != negate;
            }
        }
        next = p + 1;
        return pc == c;
    }
}
