namespace Yamnet.Cli;

/// <summary>One input to classify, in command-line order. <see cref="Error"/> is set when the argument named nothing usable.</summary>
public sealed record InputFile(string Path, string? Error = null);

/// <summary>
/// Turns --wavFile values and positional arguments into an ordered list of files: a file is taken as
/// is; a directory adds its audio files recursively (sorted); an argument with * ? or [ is a glob
/// (<c>*</c>, <c>?</c>, <c>[abc]</c> within a path segment, <c>**</c> for any number of directories).
/// Duplicates keep their first position. An argument that names nothing becomes a failed input.
/// </summary>
public static class InputExpander
{
    public static readonly string[] AudioExtensions = ["wav", "flac", "ogg", "oga", "opus", "mp3", "aif", "aiff", "au"];

    public static List<InputFile> Expand(IEnumerable<string> arguments)
    {
        var result = new List<InputFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string path, string display)
        {
            if (seen.Add(Path.GetFullPath(path))) result.Add(new InputFile(display));
        }

        foreach (string arg in arguments)
        {
            if (Directory.Exists(arg))
            {
                var files = EnumerateAudio(arg).ToList();
                if (files.Count == 0) result.Add(new InputFile(arg, "directory holds no audio files (" + string.Join("/", AudioExtensions) + ")"));
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
                var matches = Glob(arg).ToList();
                if (matches.Count == 0) result.Add(new InputFile(arg, "no file matches the pattern"));
                foreach (string f in matches) Add(f, f);
            }
        }
        return result;
    }

    public static bool IsAudioFile(string path)
    {
        string ext = Path.GetExtension(path).TrimStart('.');
        return AudioExtensions.Contains(ext, StringComparer.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> EnumerateAudio(string dir)
        => Directory.EnumerateFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
            .Where(IsAudioFile)
            .Order(StringComparer.Ordinal);

    public static bool IsGlob(string s) => s.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>Files matching <paramref name="pattern"/>, sorted ordinally.</summary>
    public static IEnumerable<string> Glob(string pattern)
    {
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
        Match(baseDir, display, segments.AsSpan(firstWild).ToArray(), 0, matches);
        return matches.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }

    private static void Match(string dir, string display, string[] segs, int i, List<string> matches)
    {
        static string Join(string display, string name) => display.Length == 0 ? name : display.EndsWith('/') ? display + name : display + "/" + name;
        string seg = segs[i];
        bool last = i == segs.Length - 1;
        if (seg == "**")
        {
            if (last)
            {
                foreach (string f in Directory.EnumerateFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }))
                    matches.Add(Join(display, Path.GetRelativePath(dir, f).Replace('\\', '/')));
                return;
            }
            Match(dir, display, segs, i + 1, matches); // zero directories
            foreach (string sub in SafeDirs(dir))
                Match(sub, Join(display, Path.GetFileName(sub)), segs, i, matches);
            return;
        }
        if (last)
        {
            foreach (string f in SafeFiles(dir))
                if (SegmentMatches(seg, Path.GetFileName(f))) matches.Add(Join(display, Path.GetFileName(f)));
            return;
        }
        foreach (string sub in SafeDirs(dir))
            if (SegmentMatches(seg, Path.GetFileName(sub))) Match(sub, Join(display, Path.GetFileName(sub)), segs, i + 1, matches);
    }

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
