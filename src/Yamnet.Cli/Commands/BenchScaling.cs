using System.Diagnostics;
using System.Globalization;
using Yamnet.TfLite;

namespace Yamnet.Cli.Commands;

/// <summary>
/// The machine's own N-core scaling next to the pool's, in one run: the C reference
/// (<c>tflite-probe --windows all</c>: decode, every window, top 5, CSV) once alone and N times at
/// once on the same file gives what the hardware achieves, H(N) = N·T₁ / T_N; the CLI itself
/// (<c>classify --windows all</c> as text, CSV and JSON, <c>embed</c>, <c>detect</c>) with
/// <c>--jobs 1</c> and <c>--jobs N</c> on that file gives the pool's, P(N) = T₁ / T_N; the
/// figure is P(N) / H(N). Why this is a fair comparison: each ratio compares a program with itself
/// (C with C, the CLI with the CLI), so neither side's speed enters the figure, only how well it
/// spreads; every timing is a whole process from exec to exit (start-up, model load, decoding and
/// output included, as issue 16 measured it), so fixed costs are in on both sides — the C side pays
/// its start-up in every one of its N processes at once, the CLI pays its own once, serially, which
/// is the real cost of a pool (hence a long recording: --minutes 10). H(N) runs N times the work on N
/// cores; P(N) runs the same work with N workers. The two runs of each ratio (C1 and S1, CN and SN)
/// go back to back, in mirrored order every other round, so load drift hits both alike; the median round is reported with the spread, and so is P/H from each
/// kind's fastest run (other processes only add time, so the fastest run is each side's best
/// estimate of its cost on a quiet machine; the same estimate on all four, so it favours neither), and
/// the load average is printed because the figure only means something when both ran alike.
/// </summary>
internal sealed class BenchScaling(BenchReport report, string model, DelegateKind kind, string probe, string weightsCache, Action<string> say)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>What the CLI runs for each variant; the file is appended as --wavFile.</summary>
    internal static readonly (string Name, string[] Args)[] Variants =
    [
        ("classify text", ["classify", "--windows", "all", "--format", "text"]),
        ("classify csv", ["classify", "--windows", "all", "--format", "csv"]),
        ("classify json", ["classify", "--windows", "all", "--format", "json"]),
        ("embed jsonl", ["embed", "--format", "jsonl"]),
        ("detect text", ["detect", "--format", "text"]),
    ];

    internal void Measure(string file, int maxCores, int rounds)
    {
        int cores = Math.Min(maxCores, Environment.ProcessorCount);
        say($"\nN-core scaling against the machine's own ({rounds} rounds, whole processes, {Path.GetFileName(file)}, load average {LoadAverage()}):");
        say($"  C reference: tflite-probe --windows all (1 alone, then N at once); pool: the CLI with --jobs 1, then --jobs N (TFLite {TfLiteRuntime.Version}, --xnnpackWeightsCache {weightsCache})");
        say("  variant          N   C 1 s   C N s  H(N)   C# 1 s  C# N s  P(N)   P/H median [min, max]   P/H of median times   P/H of the fastest runs");
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        for (int n = 2; n <= cores; n++)
        {
            var perVariant = Variants.Select(_ => new List<(double C1, double Cn, double S1, double Sn)>()).ToArray();
            for (int round = 0; round < rounds; round++)
            {
                for (int v = 0; v < Variants.Length; v++)
                {
                    // P/H = (S1 / C1) · (CN / SN) / N. The host's speed drifts over seconds (the four
                    // times of a round correlated 0.3–0.9 across rounds, session 5), so each pair that
                    // forms a ratio runs back to back (C1 beside S1, CN beside SN), and the order is
                    // mirrored in every other round: a numerator and a denominator then sit at the same
                    // mean position, and a steady drift cancels instead of biasing one side.
                    double c1, cn, s1, sn;
                    if (round % 2 == 0)
                    {
                        c1 = Time(1, () => Probe(file));
                        s1 = Time(1, () => Cli(self, Variants[v].Args, file, 1));
                        cn = Time(n, () => Probe(file));
                        sn = Time(1, () => Cli(self, Variants[v].Args, file, n));
                    }
                    else
                    {
                        sn = Time(1, () => Cli(self, Variants[v].Args, file, n));
                        cn = Time(n, () => Probe(file));
                        s1 = Time(1, () => Cli(self, Variants[v].Args, file, 1));
                        c1 = Time(1, () => Probe(file));
                    }
                    perVariant[v].Add((c1, cn, s1, sn));
                }
            }
            for (int v = 0; v < Variants.Length; v++)
            {
                var runs = perVariant[v];
                var fractions = runs.Select(r => (r.S1 / r.Sn) / (n * r.C1 / r.Cn)).OrderBy(f => f).ToList();
                var mid = runs.OrderBy(r => (r.S1 / r.Sn) / (n * r.C1 / r.Cn)).ElementAt(runs.Count / 2);
                double h = n * mid.C1 / mid.Cn, p = mid.S1 / mid.Sn;
                // Other processes only ever add time, so each kind's fastest run is the closest to its cost
                // on a quiet machine: the same estimate for all four kinds, shown beside the median round.
                double fastest = (runs.Min(r => r.S1) / runs.Min(r => r.Sn)) / (n * runs.Min(r => r.C1) / runs.Min(r => r.Cn));
                double ofMedians = FractionOfMedianTimes(runs, n);
                report.Scaling.Add(new ScalingResult(Variants[v].Name, n, mid.C1, mid.Cn, h, mid.S1, mid.Sn, p, fractions[fractions.Count / 2], fractions[0], fractions[^1], rounds, fastest, ofMedians, [.. runs]));
                say($"  {Variants[v].Name,-15} {n,2} {mid.C1,7:0.00} {mid.Cn,7:0.00} {h,5:0.00} {mid.S1,8:0.00} {mid.Sn,7:0.00} {p,5:0.00}   {fractions[fractions.Count / 2],5:0.000} [{fractions[0]:0.000}, {fractions[^1]:0.000}]   {ofMedians,6:0.000}   {fastest,6:0.000}");
            }
        }
        report.LoadAverage = LoadAverage();
        say($"  load average after: {report.LoadAverage}");
    }

    /// <summary>
    /// P/H from each kind's median time over the rounds: (median S₁ / median S_N) / (N · median C₁ / median C_N).
    /// The median round's P/H moves whenever a slow spell of the host hits any one of that round's four
    /// timings (on this VM a whole run now and then takes 1.6× as long); a median time only moves when
    /// slow spells hit most rounds of that one kind. The same estimate on all four, so it favours neither.
    /// </summary>
    internal static double FractionOfMedianTimes(IReadOnlyList<(double C1, double Cn, double S1, double Sn)> runs, int n)
        => (Median(runs.Select(r => r.S1)) / Median(runs.Select(r => r.Sn))) / (n * Median(runs.Select(r => r.C1)) / Median(runs.Select(r => r.Cn)));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(x => x).ToList();
        int m = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    /// <summary>Wall seconds until <paramref name="count"/> copies of a process, started together, have all exited.</summary>
    private static double Time(int count, Func<Process> start)
    {
        long t0 = Stopwatch.GetTimestamp();
        var running = Enumerable.Range(0, count).Select(_ => start()).ToList();
        var drains = running.Select(p => (p, Out: p.StandardOutput.BaseStream.CopyToAsync(Stream.Null), Err: p.StandardError.ReadToEndAsync())).ToList();
        foreach (var (p, output, err) in drains)
        {
            p.WaitForExit();
            output.Wait();
            if (p.ExitCode != 0) throw new InvalidOperationException($"{p.StartInfo.FileName} exited {p.ExitCode}: {err.Result.Trim()}");
        }
        double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        foreach (var p in running) p.Dispose();
        return wall;
    }

    private Process Probe(string file) => Start(BenchProbe.StartInfo(probe, ["--model", model, "--wav", file, "--windows", "all", "--hop", "7800", "--threads", "1",
        "--delegate", kind == DelegateKind.XnnPack ? "xnnpack" : "none", "--xnnpack-flags", "1"]));

    private Process Cli(string self, string[] args, string file, int jobs)
    {
        var all = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") all.Add(Path.Combine(AppContext.BaseDirectory, "yamnet.dll"));
        all.AddRange(args);
        all.AddRange(["--wavFile", file, "--model", model, "--jobs", jobs.ToString(Inv), "--numThreads", "1",
            "--delegate", kind == DelegateKind.XnnPack ? "xnnpack" : "none", "--xnnpackWeightsCache", weightsCache]);
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in all) psi.ArgumentList.Add(a);
        return Start(psi);
    }

    private static Process Start(ProcessStartInfo psi) => Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + psi.FileName);

    internal static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}

/// <summary>
/// One variant at N cores: the median round's times and scalings, the spread of P/H over the rounds,
/// P/H from each kind's fastest run (<see cref="FractionOfFastest"/>) and from each kind's median time
/// (<see cref="FractionOfMedianTimes"/>) over the rounds, and every round's four timings.
/// </summary>
internal readonly record struct ScalingResult(string Variant, int N, double Probe1, double ProbeN, double Hardware, double CSharp1, double CSharpN,
    double Pool, double Fraction, double FractionMin, double FractionMax, int Rounds, double FractionOfFastest, double FractionOfMedianTimes,
    (double C1, double Cn, double S1, double Sn)[] PerRound);
