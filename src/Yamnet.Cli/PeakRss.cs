namespace Yamnet.Cli;

/// <summary>
/// When YAMNET_REPORT_PEAK_RSS=1, the process prints its peak resident set (VmHWM) on stderr at
/// exit. The bench command reads it from child runs: the only exact way to get a child's own peak.
/// </summary>
public static class PeakRss
{
    public const string EnvironmentVariable = "YAMNET_REPORT_PEAK_RSS";
    public const string Prefix = "peak_rss_kb: ";

    public static void ReportIfAsked()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) != "1") return;
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        if (line is null) return;
        StdErr.WriteLine(Prefix + line["VmHWM:".Length..].Replace("kB", "").Trim());
    }
}
