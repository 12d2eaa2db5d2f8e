using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Yamnet.TfLite;

/// <summary>
/// SHA-256 digests of model files remembered by <see cref="ModelFileIdentity"/>, in this process and
/// in a small file per model under <see cref="TfLiteRuntime.ModelDigestCacheDirectory"/>. Hashing 4 MB
/// (and loading OpenSSL to do it) was the largest avoidable part of the CLI's start-up; the digest is
/// still what decides "known model" (trial or not), it is only not recomputed for a file whose
/// identity has not changed. Any failure to read or write the cache just means hashing again.
/// </summary>
internal static class ModelDigestCache
{
    private const string Format = "yamnet-model-digest 1";
    private static readonly ConcurrentDictionary<ModelFileIdentity, string> s_known = new();

    /// <summary>Forgets what this process remembered (tests that look at the on-disk cache).</summary>
    internal static void ClearInProcess() => s_known.Clear();

    /// <summary>The remembered digest of this exact file version, or null.</summary>
    internal static string? TryGet(ModelFileIdentity identity)
    {
        if (s_known.TryGetValue(identity, out string? sha)) return sha;
        if (TfLiteRuntime.ModelDigestCacheDirectory is not { } dir) return null;
        try
        {
            string[] lines = File.ReadAllText(Path.Combine(dir, identity.FileKey)).Split('\n');
            if (lines.Length < 3 || lines[0] != Format || lines[1] != identity.VersionText || !IsSha256(lines[2])) return null;
            s_known[identity] = lines[2];
            return lines[2];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Remembers <paramref name="sha256"/> for this file version (best effort, atomic on disk).</summary>
    internal static void Put(ModelFileIdentity identity, string sha256)
    {
        s_known[identity] = sha256;
        if (TfLiteRuntime.ModelDigestCacheDirectory is not { } dir) return;
        string file = Path.Combine(dir, identity.FileKey);
        string temp = file + "." + Environment.ProcessId + ".tmp";
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(temp, $"{Format}\n{identity.VersionText}\n{sha256}\n");
            File.Move(temp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// The SHA-256 of the file at <paramref name="path"/>: remembered, or computed (and remembered
    /// when the file did not change while it was read).
    /// </summary>
    internal static string Sha256OfFile(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var before = ModelFileIdentity.Of(file);
        if (before is { } known && TryGet(known) is { } cached) return cached;
        using var stream = new FileStream(file, FileAccess.Read, 1 << 16);
        string sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        Remember(file, before, sha);
        return sha;
    }

    /// <summary>Remembers <paramref name="sha256"/> of bytes read from <paramref name="file"/> when its identity was <paramref name="before"/> before the read and still is.</summary>
    internal static void Remember(SafeFileHandle file, ModelFileIdentity? before, string sha256)
    {
        if (before is { IsSettled: true } b && ModelFileIdentity.Of(file) == b) Put(b, sha256);
    }

    private static bool IsSha256(string s) => s.Length == 64 && s.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
