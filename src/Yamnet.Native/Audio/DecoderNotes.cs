using Yamnet.TfLite;

namespace Yamnet.Audio;

/// <summary>
/// libmpg123 (libsndfile's MP3 decoder) prints its own lines to file descriptor 2 on damaged input
/// ("[src/libmpg123/layer3.c:INT123_do_layer3():1801] error: dequantization failed!", "Note: Trying
/// to resync..."), hundreds for one file. When the host opted in to native stderr capture
/// (<see cref="TfLiteRuntime.CaptureNativeStderr"/>) the decoder's opens and MP3 reads run under it;
/// the lines are kept here (a count and the first, cleaned) and surface at most once, inside the
/// file's own one-line error, never as foreign lines.
/// </summary>
internal sealed class DecoderNotes
{
    private string? _first;

    internal int Count { get; private set; }

    /// <summary>The first line, cleaned of libmpg123's source location (empty when there was none).</summary>
    internal string First => _first ?? "";

    /// <summary>libmpg123's lines: its source-location prefix, or its "Note:"/"Warning:"/"Error:" messages.</summary>
    internal static bool IsMpg123Line(string line)
        => (line.StartsWith('[') && line.Contains("mpg123", StringComparison.Ordinal))
           || line.StartsWith("Note: ", StringComparison.Ordinal) || line.StartsWith("Warning: ", StringComparison.Ordinal)
           || line.StartsWith("Error: ", StringComparison.Ordinal);

    internal void Add(in NativeStderr.Captured captured)
    {
        if (captured.Lines is not { Length: > 0 } lines) return;
        _first ??= Clean(lines[0]);
        Count += lines.Length;
    }

    /// <summary>" (the MP3 decoder reported N problems, first: '…')", or empty.</summary>
    internal string Suffix => Count == 0 ? "" : $" (the MP3 decoder reported {Count} problem{(Count == 1 ? "" : "s")}, first: '{_first}')";

    private static string Clean(string line)
    {
        string s = line.Trim();
        if (s.StartsWith('[') && s.IndexOf("] ", StringComparison.Ordinal) is var close and > 0) s = s[(close + 2)..];
        foreach (string prefix in new[] { "error: ", "warning: ", "Note: ", "Warning: ", "Error: " })
            if (s.StartsWith(prefix, StringComparison.Ordinal)) s = s[prefix.Length..];
        return s.Length > 160 ? s[..160] + "…" : s;
    }
}
