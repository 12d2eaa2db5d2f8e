using System.Text;

namespace Yamnet.Events;

/// <summary>
/// Reads a small user-written text file (rules, groups, reference events) as numbered lines, refusing
/// what is not text (a NUL byte or invalid UTF-8) or is implausibly large, so a binary file given by
/// mistake is one clear error instead of a thousand bad lines.
/// </summary>
internal static class TextLines
{
    /// <summary>Largest file accepted (64 MiB: far beyond any rules or reference list).</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>The file's lines (without line ends), numbered from 1.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="FormatException">Not text, or too large.</exception>
    public static List<(int Number, string Text)> Read(string path, string what)
    {
        if (Directory.Exists(path)) throw new FormatException($"{path}: is a directory, not a {what}");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: {what} not found", path);
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan))
        {
            if (stream.CanSeek && stream.Length > MaxBytes) throw new FormatException($"{path}: {what} larger than {MaxBytes >> 20} MiB");
            using var buffer = new MemoryStream();
            var chunk = new byte[1 << 16];
            int n;
            while ((n = stream.Read(chunk)) > 0)
            {
                if (buffer.Length + n > MaxBytes) throw new FormatException($"{path}: {what} larger than {MaxBytes >> 20} MiB");
                buffer.Write(chunk, 0, n);
            }
            bytes = buffer.ToArray();
        }
        int nul = Array.IndexOf(bytes, (byte)0);
        if (nul >= 0) throw new FormatException($"{path}: not a text file (a NUL byte at offset {nul}); the {what} must be UTF-8 text");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException($"{path}: not a text file (invalid UTF-8); the {what} must be UTF-8 text");
        }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var lines = new List<(int, string)>();
        int number = 0;
        foreach (string line in text.Split('\n'))
        {
            number++;
            lines.Add((number, line.TrimEnd('\r')));
        }
        if (lines.Count > 0 && lines[^1].Item2.Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    /// <summary>
    /// Why the file at <paramref name="path"/> is not text (a NUL byte or invalid UTF-8 in its first
    /// 64 KiB), or null when it looks like text; for readers that stream their file.
    /// </summary>
    public static string? NotTextReason(string path)
    {
        var head = new byte[64 << 10];
        int n;
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None))
            n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var span = head.AsSpan(0, n);
        int nul = span.IndexOf((byte)0);
        if (nul >= 0) return $"not a text file (a NUL byte at offset {nul})";
        if (n == head.Length) span = span[..(span.LastIndexOf((byte)'\n') + 1)]; // do not judge a sequence cut by the 64 KiB boundary
        return System.Text.Unicode.Utf8.IsValid(span) ? null : "not a text file (invalid UTF-8)";
    }

    /// <summary>True for a line to skip: empty, blank or a '#' comment.</summary>
    public static bool IsBlankOrComment(string line)
    {
        var t = line.AsSpan().Trim();
        return t.Length == 0 || t[0] == '#';
    }
}
