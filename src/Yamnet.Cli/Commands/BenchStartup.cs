using System.Diagnostics;
using System.Globalization;

namespace Yamnet.Cli.Commands;

/// <summary>
/// Start-up of the seed command against the C probe in the same run: <c>yamnet classify --wavFile
/// CLIP</c> (this very binary: NativeAOT when run from the release tarball, JIT from the checkout)
/// and <c>tflite-probe --model M --wav CLIP</c> (load, one window, top 5), alternating one run each
/// so load drift hits both alike. Reports the median wall time of each and the mean CPU time
/// (user + system of the waited-for children, from /proc/self/stat), and their ratios: on a loaded
/// machine wall time measures the queue, CPU time still measures the work.
/// </summary>
internal sealed class BenchStartup(string model, string clip, string probe, Action<string> say)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    internal StartupResult Measure(int runs)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        // NativeAOT code cannot emit code at run time: the one reliable way to tell the builds apart.
        bool jit = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported;
        var cli = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") cli.Add(Path.Combine(AppContext.BaseDirectory, "yamnet.dll"));
        cli.AddRange(["classify", "--wavFile", clip, "--model", model]);
        string[] c = ["--model", model, "--wav", clip];
        for (int i = 0; i < 3; i++)
        {
            // Warm-up: page cache, and the first run remembers the model's digest (see ModelDigestCache).
            Run(Self(self, cli));
            Run(BenchProbe.StartInfo(probe, c));
        }
        var wallCli = new List<double>();
        var wallC = new List<double>();
        double cpuCli = 0, cpuC = 0;
        for (int i = 0; i < runs; i++)
        {
            var (w1, t1) = Run(Self(self, cli));
            var (w2, t2) = Run(BenchProbe.StartInfo(probe, c));
            wallCli.Add(w1);
            cpuCli += t1;
            wallC.Add(w2);
            cpuC += t2;
        }
        wallCli.Sort();
        wallC.Sort();
        var r = new StartupResult(wallCli[runs / 2] * 1000, wallC[runs / 2] * 1000, cpuCli / runs * 1000, cpuC / runs * 1000, runs, jit ? "JIT" : "NativeAOT");
        say($"\nstart-up, seed command ({runs} alternating runs each; this binary is {r.Build}{(jit ? ": the target is for the NativeAOT build, run bench from ./publish.sh's tarball for it" : "")}):\n" +
            $"  yamnet classify --wavFile {Path.GetFileName(clip)}   wall median {r.CliWallMs,7:0.0} ms   CPU mean {r.CliCpuMs,6:0.0} ms\n" +
            $"  tflite-probe (C)                        wall median {r.ProbeWallMs,7:0.0} ms   CPU mean {r.ProbeCpuMs,6:0.0} ms\n" +
            $"  start-up ratio vs the C probe: wall {r.WallRatio:0.00}, CPU {(double.IsFinite(r.CpuRatio) ? r.CpuRatio.ToString("0.00", Inv) : "n/a (the probe's CPU time was under one tick)")} (target <= 1.5; CPU time from /proc/self/stat, 10 ms ticks: ±{10.0 / runs:0.0} ms per run)");
        return r;
    }

    /// <summary>Wall seconds and CPU seconds (user + system) of one child run to exit.</summary>
    private static ProcessStartInfo Self(string self, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    private static (double Wall, double Cpu) Run(ProcessStartInfo psi)
    {
        string path = psi.FileName;
        double cpu0 = ChildrenCpuSeconds();
        long t0 = Stopwatch.GetTimestamp();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + path);
        var drain = p.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        drain.Wait();
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        if (p.ExitCode != 0) throw new InvalidOperationException($"{path} exited {p.ExitCode}: {CliHost.OneLine(stderr)}");
        return (wall, ChildrenCpuSeconds() - cpu0);
    }

    /// <summary>cutime + cstime of this process (its waited-for children), in seconds.</summary>
    private static double ChildrenCpuSeconds()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        // Fields after the command name (which may contain spaces) start at field 3.
        string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(f[16 - 3], Inv) + long.Parse(f[17 - 3], Inv)) / 100.0; // USER_HZ is 100 on Linux
    }
}

/// <summary>Start-up figures: median wall and mean CPU milliseconds of the CLI's seed command and of the C probe.</summary>
internal readonly record struct StartupResult(double CliWallMs, double ProbeWallMs, double CliCpuMs, double ProbeCpuMs, int Runs, string Build)
{
    internal double WallRatio => CliWallMs / ProbeWallMs;

    /// <summary>Infinite when the probe's CPU time rounded to 0 ticks (few fast runs).</summary>
    internal double CpuRatio => CliCpuMs / ProbeCpuMs;
}
