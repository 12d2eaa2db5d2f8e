using System.Diagnostics;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>
/// The README's recipes run for real: a Slurm array job on a single-node Slurm started by the test,
/// and GNU parallel, each splitting one archive with --shard into one --output-dir; the merged result
/// equals a single run's, byte for byte.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class SchedulerTests
{
    /// <summary>A ./yamnet in <paramref name="dir"/> that runs the CLI under test (what a user's PATH would give).</summary>
    private static void WriteLauncher(string dir)
    {
        string path = Path.Combine(dir, "yamnet");
        File.WriteAllText(path, $"#!/bin/sh\nunset YAMNET_MODEL\nexec '{CliRunner.DotnetHost}' exec '{CliRunner.YamnetDll}' \"$@\"\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    private static async Task<(int Exit, string Output)> Shell(string dir, string script, IReadOnlyDictionary<string, string?>? env = null)
    {
        var psi = new ProcessStartInfo("/bin/bash") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await o + await e);
    }

    private static async Task<Dictionary<string, string>> SingleRun(string dir)
    {
        var whole = await CliRunner.RunAsync(["classify", "rec", "--output-dir", "whole", "--format", "json", "--windows", "all"], dir);
        whole.ExitCode.Should().Be(0, whole.ToString());
        return OutputDirTests.Tree(Path.Combine(dir, "whole"));
    }

    [Fact]
    public async Task Slurm_array_job_of_shards_equals_a_single_run()
    {
        var (dir, names) = OutputDirTests.Archive("slurm", 6);
        WriteLauncher(dir);
        var expected = await SingleRun(dir);
        File.WriteAllText(Path.Combine(dir, "classify.sbatch"), """
            #!/bin/bash
            #SBATCH --job-name=yamnet
            #SBATCH --array=0-2
            #SBATCH --cpus-per-task=1
            ./yamnet classify rec --output-dir out --format json --windows all --jobs 1 --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT"
            """);

        await using var slurm = await LocalSlurm.StartAsync(TestAssets.NewTempDir("slurm-cluster"));
        var (exit, output) = await Shell(dir, "sbatch --wait --chdir=\"$PWD\" --output=\"$PWD/slurm-%A_%a.out\" classify.sbatch", slurm.Environment);
        string logs = string.Join("\n", Directory.GetFiles(dir, "slurm-*.out").Select(File.ReadAllText));
        exit.Should().Be(0, output + logs);
        Directory.GetFiles(dir, "slurm-*.out").Should().HaveCount(3, "one log per array task");
        logs.Split('\n').Where(l => l.Contains(" written to ")).Should().HaveCount(3);
        OutputDirTests.Tree(Path.Combine(dir, "out")).Should().Equal(expected);
        expected.Should().HaveCount(names.Length);
    }

    [Fact]
    public async Task Gnu_parallel_shards_equal_a_single_run_and_a_rerun_does_nothing()
    {
        var (dir, names) = OutputDirTests.Archive("parallel", 6);
        WriteLauncher(dir);
        var expected = await SingleRun(dir);
        const string recipe = "parallel --halt now,fail=1 -j 2 ./yamnet classify rec --output-dir out --format json --windows all --jobs 1 --shard {}/3 ::: 0 1 2";
        var (exit, output) = await Shell(dir, recipe);
        exit.Should().Be(0, output);
        OutputDirTests.Tree(Path.Combine(dir, "out")).Should().Equal(expected);
        var (again, againOutput) = await Shell(dir, recipe);
        again.Should().Be(0, againOutput);
        againOutput.Split('\n').Where(l => l.Contains(" 0 results written")).Should().HaveCount(3, againOutput);
        expected.Should().HaveCount(names.Length);
    }
}
