namespace Yamnet.Native.Tests.Fuzz;

/// <summary>
/// The peak resident memory one fuzz case adds, measured by the kernel: writing 5 to
/// /proc/self/clear_refs resets the process's high-water mark (VmHWM) to its current RSS, so after
/// the case VmHWM − RSS-before is the most memory the case held at any moment (native allocations
/// of libsndfile, libmpg123 or TFLite included, which no managed counter sees). Process-wide, so the
/// tests that use it run in <see cref="SerialCollection"/>, with no other test beside them.
/// </summary>
internal static class CasePeakRss
{
    /// <summary>Resets the high-water mark; returns the resident set now, in bytes.</summary>
    internal static long Reset()
    {
        File.WriteAllText("/proc/self/clear_refs", "5");
        return Read("VmRSS:");
    }

    /// <summary>The high-water mark since the last <see cref="Reset"/>, in bytes.</summary>
    internal static long Peak() => Read("VmHWM:");

    private static long Read(string key)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Replace("kB", "").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"/proc/self/status has no {key}");
    }
}
