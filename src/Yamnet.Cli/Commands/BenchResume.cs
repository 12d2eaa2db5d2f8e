using System.Diagnostics;
using Yamnet.Batch;

namespace Yamnet.Cli.Commands;

/// <summary>
/// <c>yamnet bench --isolation</c>, part 2: what resumable mode's skip check costs per input when
/// every result is already there (issue 14: under 1 ms per file on 10,000 inputs). Two figures:
/// the library's check alone (<see cref="BatchPlan{T}.Create"/> over a <see cref="ResultDirectory"/>
/// holding a stamped result per input, stamp in the result and in a sidecar), and the whole CLI
/// (<c>classify --output-dir D --files-from LIST</c>, 10,000 existing inputs, all done) minus the
/// same command with one input: start-up and model load cancel out, what remains is per input
/// (list reading, input checks, result check). Median of 3; the page cache is warm.
/// </summary>
internal sealed class BenchResume(string model, string clip, Action<string> say)
{
    internal sealed record Figures(int Inputs, double LibraryUsPerInput, double SidecarUsPerInput, double CliUsPerInput, double CliOneInputMs, double CliAllMs);

    internal Figures Measure(int inputs)
    {
        var dir = Directory.CreateTempSubdirectory("yamnet-bench-resume-");
        string cwd = Environment.CurrentDirectory;
        // Result names are relative to the current directory: the same one here and in the CLI child.
        Environment.CurrentDirectory = dir.FullName;
        try
        {
            string inDir = Path.Combine(dir.FullName, "in");
            Directory.CreateDirectory(inDir);
            var paths = Enumerable.Range(0, inputs).Select(i => Path.Combine(inDir, $"rec{i:D5}.wav")).ToList();
            foreach (string p in paths) File.CreateSymbolicLink(p, clip);

            string fingerprint = new RunFingerprint().Add("bench", "resume").Hex;
            double library = Library(paths, new ResultDirectory(Path.Combine(dir.FullName, "lib"), ".json", fingerprint, stampInSidecar: false));
            double sidecar = Library(paths, new ResultDirectory(Path.Combine(dir.FullName, "side"), ".csv", fingerprint, stampInSidecar: true));

            // The CLI's own fingerprint: one real result, then the same bytes under every other input's name.
            string outDir = Path.Combine(dir.FullName, "out");
            string one = Path.Combine(dir.FullName, "one.txt"), all = Path.Combine(dir.FullName, "all.txt");
            File.WriteAllText(one, paths[0] + "\n");
            File.WriteAllLines(all, paths);
            string[] args = ["classify", "--model", Path.GetFullPath(model, cwd), "--format", "json", "--output-dir", outDir, "--files-from"];
            Cli([.. args, one], dir.FullName);
            var results = new ResultDirectory(outDir, ".json", new string('0', 64), stampInSidecar: false);
            byte[] made = File.ReadAllBytes(results.ResultPathFor(paths[0]));
            foreach (string p in paths.Skip(1))
            {
                string target = results.ResultPathFor(p);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, made);
            }
            double oneMs = Median(3, () => Cli([.. args, one], dir.FullName, expectDone: 1));
            double allMs = Median(3, () => Cli([.. args, all], dir.FullName, expectDone: inputs));
            double cli = (allMs - oneMs) * 1000 / (inputs - 1);
            var f = new Figures(inputs, library, sidecar, cli, oneMs, allMs);
            say($"\nresumable mode, skip check with every result present ({inputs} inputs; µs per input, median of 3, warm page cache):\n" +
                $"  library, stamp in the result  {library,8:0.0}\n" +
                $"  library, stamp in a sidecar   {sidecar,8:0.0}\n" +
                $"  whole CLI, per input          {cli,8:0.0}   (classify --output-dir --files-from: {allMs:0} ms for {inputs}, {oneMs:0} ms for 1)");
            return f;
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
            dir.Delete(recursive: true);
        }
    }

    private static double Library(List<string> paths, ResultDirectory results)
    {
        results.EnsureRoot();
        byte[] body = System.Text.Encoding.ASCII.GetBytes("{\"run\":\"" + results.Fingerprint + "\"}\n");
        foreach (string p in paths) results.Write(p, s => s.Write(body));
        return Median(3, () =>
        {
            var clock = Stopwatch.StartNew();
            var plan = BatchPlan<string>.Create(paths, p => p, ShardSpec.All, results);
            double us = clock.Elapsed.TotalMilliseconds * 1000 / paths.Count;
            if (plan.Done.Count != paths.Count) throw new InvalidOperationException($"{plan.Done.Count} of {paths.Count} found done");
            return us;
        });
    }

    /// <summary>Runs this CLI; returns its wall time in ms, checking its summary line when <paramref name="expectDone"/> is given.</summary>
    private static double Cli(string[] args, string cwd, int? expectDone = null)
    {
        string[] self = ModelTrialCommand.SelfCommand()[..^1];
        var psi = new ProcessStartInfo(self[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = cwd };
        foreach (string a in self.Skip(1).Concat(args)) psi.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        double ms = clock.Elapsed.TotalMilliseconds;
        string stderr = err.GetAwaiter().GetResult();
        if (p.ExitCode != 0 || (expectDone is { } n && !stderr.Contains($"{n} already done", StringComparison.Ordinal)))
            throw new InvalidOperationException($"yamnet {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Trim()}");
        return ms;
    }

    private static double Median(int n, Func<double> run)
    {
        var values = Enumerable.Range(0, n).Select(_ => run()).OrderBy(v => v).ToList();
        return values[n / 2];
    }
}
