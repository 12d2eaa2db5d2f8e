using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Yamnet.Batch;

/// <summary>
/// <c>--shard I/N</c>: a stable subset of a batch. Input key <c>p</c> (UTF-8; <see cref="BatchPlan{T}"/>
/// uses the input's path relative to the current directory, <see cref="ResultDirectory.RelativeNameFor"/>) belongs to shard <c>I</c> when the first 8 bytes of SHA-256(p), read as a big-endian
/// unsigned integer, modulo N equal I. Depends only on the path, not on the other inputs, so adding
/// files to an archive never moves an existing file to another shard, and N shards together cover
/// every input exactly once. Shell check: <c>printf %s PATH | sha256sum</c>, first 16 hex digits mod N.
/// </summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    /// <summary>The whole batch (shard 0 of 1).</summary>
    public static ShardSpec All => new(0, 1);

    /// <summary>Parses <c>I/N</c> with 0 ≤ I &lt; N ≤ 1,000,000.</summary>
    /// <exception cref="FormatException">Not of that form (the message says what is wrong).</exception>
    public static ShardSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1
            || !int.TryParse(text.AsSpan(0, slash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n))
            throw new FormatException($"Shard '{text}' is not I/N (e.g. 0/4, with 0 <= I < N).");
        if (n < 1 || n > 1_000_000) throw new FormatException($"Shard '{text}': N must be 1..1000000.");
        if (i >= n) throw new FormatException($"Shard '{text}': I must be less than N (shards are numbered 0..{n - 1}).");
        return new ShardSpec(i, n);
    }

    /// <summary>The shard (0..Count-1) that <paramref name="path"/> belongs to.</summary>
    public int ShardOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Count == 1) return 0;
        int max = Encoding.UTF8.GetMaxByteCount(path.Length);
        Span<byte> utf8 = max <= 1024 ? stackalloc byte[max] : new byte[max];
        int len = Encoding.UTF8.GetBytes(path, utf8);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..len], hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)Count);
    }

    /// <summary>True when <paramref name="path"/> belongs to this shard.</summary>
    public bool Contains(string path) => ShardOf(path) == Index;

    public override string ToString() => $"{Index}/{Count}";
}
