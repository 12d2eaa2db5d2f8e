using System.Text;

namespace Yamnet.Batch;

/// <summary>
/// Reads <c>--files-from LIST</c>: one path per line (LF or CRLF; empty lines skipped), or with
/// <c>-0</c> NUL-separated (as <c>find -print0</c> writes, so names may hold newlines). Paths are
/// taken literally (no globbing, no trimming besides the CR of a CRLF). A list is capped at
/// <see cref="MaxEntries"/> paths and each path at <see cref="MaxPathBytes"/> bytes so that a wrong
/// file (<c>/dev/zero</c>, a binary) fails with a clear message instead of filling memory.
/// </summary>
public static class InputListReader
{
    /// <summary>Most paths one list may hold.</summary>
    public const int MaxEntries = 10_000_000;

    /// <summary>Longest path accepted (Linux PATH_MAX).</summary>
    public const int MaxPathBytes = 4096;

    /// <summary>Reads every path of <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidDataException">A path is too long or the list too large (message names the entry).</exception>
    public static List<string> Read(Stream stream, bool nulSeparated)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var paths = new List<string>();
        var current = new List<byte>(256);
        byte separator = nulSeparated ? (byte)0 : (byte)'\n';
        var buffer = new byte[1 << 16];
        var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);
        long entries = 0; // empty ones too: /dev/zero read with -0 is an endless run of empty entries
        void Finish()
        {
            if (++entries > MaxEntries) throw new InvalidDataException($"the list holds more than {MaxEntries} entries (not a list of paths?)");
            int len = current.Count;
            if (!nulSeparated && len > 0 && current[len - 1] == '\r') len--;
            if (len > 0)
            {
                paths.Add(utf8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(current)[..len]));
            }
            current.Clear();
        }
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                byte b = buffer[i];
                if (b == separator)
                {
                    Finish();
                    continue;
                }
                if (!nulSeparated && b == 0)
                    throw new InvalidDataException($"entry {paths.Count + 1} holds a NUL byte (a NUL-separated list needs -0)");
                if (current.Count >= MaxPathBytes)
                    throw new InvalidDataException($"entry {paths.Count + 1} is longer than {MaxPathBytes} bytes (not a list of paths?)");
                current.Add(b);
            }
        }
        Finish();
        return paths;
    }
}
