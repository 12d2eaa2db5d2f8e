using System.Diagnostics;
using System.Globalization;

namespace Yamnet.Cli.Commands;

/// <summary>Peak RSS of a child <c>yamnet classify --windows all</c> on a 10 and a 60-minute recording: memory must stay flat in the length.</summary>
internal sealed class BenchPeakRss(BenchRunner runner, BenchReport report, Action<string> say)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Peak RSS of a child 'yamnet classify --windows all' on a 10 and a 60-minute file (the child reports its own VmHWM).</summary>
    internal void Measure(string modelPath)
    {
        string dir = Directory.CreateTempSubdirectory("yamnet-rss-").FullName;
        try
        {
            say("\npeak RSS of 'yamnet classify --windows all --format csv' (output discarded):");
            foreach (int m in new[] { 10, 60 })
            {
                string file = Path.Combine(dir, $"{m}min.wav");
                runner.WriteTiled(file, m * 60);
                long kb = ChildPeakRss(modelPath, file);
                if (m == 10) report.Rss10 = kb; else report.Rss60 = kb;
                File.Delete(file);
                say($"  {m,2}-minute file: {kb / 1024.0:0.0} MiB");
            }
            if (report.Rss10 is { } a && report.Rss60 is { } b) say($"  60 / 10 minutes: {b / (double)a:0.000}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private long ChildPeakRss(string modelPath, string file)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "yamnet.dll"));
        foreach (string a in new[] { "classify", "--wavFile", file, "--model", modelPath, "--windows", "all", "--format", "csv", "--numThreads", "1" })
            psi.ArgumentList.Add(a);
        psi.Environment[Yamnet.Cli.PeakRss.EnvironmentVariable] = "1";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + self);
        var drain = p.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        drain.Wait();
        var line = stderr.Split('\n').FirstOrDefault(l => l.StartsWith(Yamnet.Cli.PeakRss.Prefix, StringComparison.Ordinal));
        if (p.ExitCode != 0 || line is null) throw new InvalidOperationException($"classify of {file} failed ({p.ExitCode}): {stderr.Trim()}");
        return long.Parse(line[Yamnet.Cli.PeakRss.Prefix.Length..].Trim(), Inv);
    }

}
