using System.Diagnostics;
using System.Text.Json;
using Yamnet.Audio;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>--output-dir (one atomic result per input, resumable), --shard, --files-from, --format jsonl.</summary>
public class OutputDirTests
{
    /// <summary>A directory of short clips (copies of the shared ones), returned as paths relative to it.</summary>
    internal static (string Dir, string[] Names) Archive(string tag, int count)
    {
        string dir = TestAssets.NewTempDir(tag);
        string[] sources = [TestAssets.Meow, TestAssets.Audio("two_heads.wav"), TestAssets.Audio("speech.wav")];
        var names = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string name = $"rec/{i % 3}/clip{i:D2}.wav";
            Directory.CreateDirectory(Path.Combine(dir, Path.GetDirectoryName(name)!));
            File.Copy(sources[i % sources.Length], Path.Combine(dir, name));
            names.Add(name);
        }
        return (dir, names.ToArray());
    }

    internal static Dictionary<string, string> Tree(string root)
        => Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllText);

    [Fact]
    public async Task One_json_per_input_then_a_rerun_skips_every_done_input()
    {
        var (dir, names) = Archive("outdir", 4);
        var first = await CliRunner.RunAsync(["classify", "rec", "--output-dir", "out", "--format", "json", "--windows", "all", "--jobs", "2"], dir);
        first.ExitCode.Should().Be(0, first.ToString());
        first.Stdout.Should().BeEmpty("results go to files, not stdout");
        first.StderrLines.Should().ContainSingle().Which.Should().Contain("4 results written").And.Contain("0 already done");
        var tree = Tree(Path.Combine(dir, "out"));
        tree.Keys.Order().Should().Equal(names.Select(n => n + ".json").Order());
        foreach (string n in names)
        {
            using var doc = JsonDocument.Parse(tree[n + ".json"]);
            doc.RootElement.GetProperty("run_fingerprint").GetString().Should().HaveLength(64);
            doc.RootElement.GetProperty("files").EnumerateArray().Single().GetProperty("file").GetString().Should().Be(n);
        }
        // Each result equals the single-file run's windows.
        var single = await CliRunner.RunAsync(["classify", names[2], "--format", "json", "--windows", "all"], dir);
        using (var a = JsonDocument.Parse(single.Stdout))
        using (var b = JsonDocument.Parse(tree[names[2] + ".json"]))
            b.RootElement.GetProperty("files").GetRawText().Should().Be(a.RootElement.GetProperty("files").GetRawText());

        var stamp = File.GetLastWriteTimeUtc(Path.Combine(dir, "out", names[0] + ".json"));
        var again = await CliRunner.RunAsync(["classify", "rec", "--output-dir", "out", "--format", "json", "--windows", "all", "--jobs", "2"], dir);
        again.ExitCode.Should().Be(0, again.ToString());
        again.StderrLines.Should().ContainSingle().Which.Should().Contain("0 results written").And.Contain("4 already done");
        File.GetLastWriteTimeUtc(Path.Combine(dir, "out", names[0] + ".json")).Should().Be(stamp);

        // Other options: the existing results are not this run's and are not replaced without --overwrite.
        var other = await CliRunner.RunAsync(["classify", "rec", "--output-dir", "out", "--format", "json", "--maxResults", "2"], dir);
        other.ExitCode.Should().Be(1, other.ToString());
        other.StderrLines.Where(l => l.Contains("not replaced (--overwrite replaces it)")).Should().HaveCount(4);
        Tree(Path.Combine(dir, "out")).Should().Equal(tree);
        var replaced = await CliRunner.RunAsync(["classify", "rec", "--output-dir", "out", "--format", "json", "--maxResults", "2", "--overwrite"], dir);
        replaced.ExitCode.Should().Be(0, replaced.ToString());
        replaced.StderrLines.Should().ContainSingle().Which.Should().Contain("4 results written");
    }

    [Fact]
    public async Task Shards_together_equal_the_single_run_whatever_the_format()
    {
        var (dir, names) = Archive("shards", 9);
        foreach (string format in new[] { "json", "csv" }) // embedded stamp and sidecar stamp
        {
            var whole = await CliRunner.RunAsync(["classify", "rec", "--output-dir", "whole-" + format, "--format", format, "--windows", "all"], dir);
            whole.ExitCode.Should().Be(0, whole.ToString());
            var shards = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
                CliRunner.RunAsync(["classify", "rec", "--output-dir", "sharded-" + format, "--format", format, "--windows", "all", "--shard", $"{i}/3", "--jobs", "1"], dir)));
            shards.Should().OnlyContain(r => r.ExitCode == 0);
            shards.Sum(r => int.Parse(r.StderrLines.Single().Split("yamnet: ")[1].Split(' ')[0])).Should().Be(names.Length, "each input is done by exactly one shard");
            Tree(Path.Combine(dir, "sharded-" + format)).Should().Equal(Tree(Path.Combine(dir, "whole-" + format)), format);
        }
    }

    [Fact]
    public async Task Jsonl_to_stdout_of_shards_concatenates_to_the_single_run()
    {
        var (dir, _) = Archive("jsonl", 6);
        var whole = await CliRunner.RunAsync(["classify", "rec", "--format", "jsonl", "--windows", "all"], dir);
        whole.ExitCode.Should().Be(0, whole.ToString());
        foreach (string line in whole.StdoutLines)
        {
            using var doc = JsonDocument.Parse(line);
            doc.RootElement.GetProperty("file").GetString().Should().StartWith("rec/");
            doc.RootElement.GetProperty("classes").GetArrayLength().Should().Be(5);
        }
        var parts = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => CliRunner.RunAsync(["classify", "rec", "--format", "jsonl", "--windows", "all", "--shard", $"{i}/2"], dir)));
        parts.SelectMany(p => p.StdoutLines).Order(StringComparer.Ordinal).Should().Equal(whole.StdoutLines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Files_from_a_list_stdin_and_nul_separated()
    {
        var (dir, names) = Archive("filesfrom", 3);
        string odd = "rec/with\nnewline.wav";
        File.Copy(TestAssets.Meow, Path.Combine(dir, odd));
        File.WriteAllText(Path.Combine(dir, "list.txt"), string.Join("\n", names) + "\n");
        File.WriteAllText(Path.Combine(dir, "list0"), string.Join("\0", [.. names, odd]) + "\0");

        var fromFile = await CliRunner.RunAsync(["classify", "--files-from", "list.txt", "--format", "jsonl"], dir);
        fromFile.ExitCode.Should().Be(0, fromFile.ToString());
        Files(fromFile).Should().Equal(names);

        var nul = await CliRunner.RunAsync(["classify", "--files-from", "list0", "-0", "--format", "jsonl"], dir);
        nul.ExitCode.Should().Be(0, nul.ToString());
        Files(nul).Should().Equal([.. names, odd]);

        var stdin = await RunWithStdin(dir, string.Join("\n", names.Reverse()), "classify", "--files-from", "-", "--format", "jsonl");
        stdin.ExitCode.Should().Be(0, stdin.ToString());
        Files(stdin).Should().Equal(names.Reverse());

        var missing = await CliRunner.RunAsync(["classify", "--files-from", "nope.txt"], dir);
        missing.ExitCode.Should().Be(2);
        missing.StderrLines.Should().ContainSingle().Which.Should().StartWith("yamnet: error: --files-from nope.txt: ");
        var badShard = await CliRunner.RunAsync(["classify", "rec", "--shard", "3/3"], dir);
        badShard.ExitCode.Should().Be(2);
        badShard.StderrLines.Should().ContainSingle().Which.Should().Contain("I must be less than N");
    }

    private static IEnumerable<string> Files(CliResult r)
        => r.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("file").GetString()!);

    internal static async Task<CliResult> RunWithStdin(string cwd, string stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(CliRunner.YamnetDll);
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("YAMNET_MODEL");
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await p.WaitForExitAsync(cts.Token);
        return new CliResult(p.ExitCode, System.Text.Encoding.UTF8.GetBytes(await o), await e);
    }

    [Fact]
    public async Task A_killed_run_restarted_with_the_same_command_redoes_only_unfinished_inputs()
    {
        string dir = TestAssets.NewTempDir("killed");
        // Eight 2-minute clips, classified one at a time with every window: ≈ 0.3–0.6 s each, so the six
        // after the first two cannot all finish between the poll that sees two results and the kill
        // (20-second clips did once on an idle CI machine: all 8 were done before the kill landed).
        var pcm = Pcm16Wav.Read(TestAssets.Meow);
        var longClip = Enumerable.Range(0, 18).SelectMany(_ => pcm).ToArray();
        for (int i = 0; i < 8; i++)
            AudioFileWriter.WriteFile(Path.Combine(dir, $"long{i}.wav"), longClip, 16000, 1, AudioContainer.Wav, AudioEncoding.Pcm16);
        string[] args = ["classify", ".", "--output-dir", "out", "--format", "json", "--windows", "all", "--jobs", "1"];

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(CliRunner.YamnetDll);
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("YAMNET_MODEL");
        using (var p = Process.Start(psi)!)
        {
            // Wait (by polling the directory, with a deadline) for the first two results, then SIGKILL: no chance to clean up.
            string outDir = Path.Combine(dir, "out");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((!Directory.Exists(outDir) || Tree(outDir).Count < 2) && !p.HasExited && DateTime.UtcNow < deadline) await Task.Delay(20);
            p.Kill();
            await p.WaitForExitAsync();
        }
        var before = Tree(Path.Combine(dir, "out"));
        before.Count.Should().BeInRange(2, 7, "killed mid-batch");
        var times = before.Keys.ToDictionary(k => k, k => File.GetLastWriteTimeUtc(Path.Combine(dir, "out", k)));
        foreach (var (_, text) in before) FluentActions.Invoking(() => JsonDocument.Parse(text).Dispose()).Should().NotThrow("every result on disk is complete");

        var restart = await CliRunner.RunAsync(args, dir);
        restart.ExitCode.Should().Be(0, restart.ToString());
        int redone = 8 - before.Count; // 1 when a fast machine had 7 done before the kill: "1 result written"
        restart.StderrLines.Should().ContainSingle().Which.Should().Contain($"{redone} result{(redone == 1 ? "" : "s")} written").And.Contain($"{before.Count} already done");
        var after = Tree(Path.Combine(dir, "out"));
        after.Should().HaveCount(8);
        foreach (var k in before.Keys) File.GetLastWriteTimeUtc(Path.Combine(dir, "out", k)).Should().Be(times[k], k + " was not redone");
        var fresh = await CliRunner.RunAsync(["classify", ".", "--output-dir", "fresh", "--format", "json", "--windows", "all"], dir);
        fresh.ExitCode.Should().Be(0);
        Tree(Path.Combine(dir, "fresh")).Should().Equal(after, "the resumed directory equals an uninterrupted run");
    }
}
