using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>
/// Inputs that used to run away or fail with the wrong words: directory walks (symlink loops, hidden
/// files, unreadable directories, non-UTF-8 names), audio from pipes and FIFOs, and damaged files whose
/// windows before the damage are kept.
/// </summary>
public class InputStreamsAndWalkTests
{
    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private static string Yamnet => $"{Quote(CliRunner.DotnetHost)} exec {Quote(CliRunner.YamnetDll)}";

    private static Task<CliResult> Bash(string script, string? dir = null) => CliRunner.RunAsync(["-c", script], dir, null, "bash");

    private static string NewDir() => Directory.CreateTempSubdirectory("yamnet-inputs-").FullName;

    private static string NoiseWav(string dir, string name, int seconds)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, LimitsTests.Wav(16000, 16000 * seconds));
        return path;
    }

    private static string[] Files(CliResult r) => CliCsvRow.Parse(r.Stdout).Select(x => x.File).Distinct().ToArray();

    [Fact]
    public async Task Symlink_loops_are_entered_once_and_hidden_files_are_skipped_unless_asked()
    {
        string dir = NewDir();
        Directory.CreateDirectory(Path.Combine(dir, "a", "b"));
        Directory.CreateDirectory(Path.Combine(dir, ".git"));
        File.Copy(TestAssets.Meow, Path.Combine(dir, "a", "b", "x.wav"));
        File.Copy(TestAssets.Meow, Path.Combine(dir, ".git", "in-git.wav"));
        File.Copy(TestAssets.Meow, Path.Combine(dir, "._x.wav"));
        File.Copy(TestAssets.Meow, Path.Combine(dir, ".hidden.wav"));
        File.CreateSymbolicLink(Path.Combine(dir, "a", "b", "up"), "..");        // a loop to an ancestor
        File.CreateSymbolicLink(Path.Combine(dir, "a", "b", "root"), dir);       // and another to the top

        var r = await CliRunner.RunAsync(["classify", "--format", "csv", dir], null);
        var hidden = await CliRunner.RunAsync(["classify", "--format", "csv", "--hidden", dir], null);
        var glob = await CliRunner.RunAsync(["classify", "--format", "csv", dir + "/**/*.wav"], null);

        r.ExitCode.Should().Be(0, r.ToString());
        Files(r).Should().Equal(Path.Combine(dir, "a", "b", "x.wav"));
        Files(glob).Should().Equal(dir + "/a/b/x.wav");
        Files(hidden).Select(Path.GetFileName).Should().BeEquivalentTo(["._x.wav", ".hidden.wav", "in-git.wav", "x.wav"]);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task An_unreadable_directory_is_one_line_and_exit_1_while_the_others_are_classified()
    {
        string dir = NewDir();
        Directory.CreateDirectory(Path.Combine(dir, "locked"));
        File.Copy(TestAssets.Meow, Path.Combine(dir, "ok.wav"));
        File.Copy(TestAssets.Meow, Path.Combine(dir, "locked", "l.wav"));
        File.SetUnixFileMode(Path.Combine(dir, "locked"), UnixFileMode.None);
        // As root, permissions are overridden: drop the two capabilities that do it (a child process, so the test host keeps them).
        string asUser = Environment.UserName == "root" ? "setpriv --bounding-set=-dac_override,-dac_read_search " : "";

        var r = await Bash($"{asUser}{Yamnet} classify --format csv {Quote(dir)}");

        File.SetUnixFileMode(Path.Combine(dir, "locked"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        r.ExitCode.Should().Be(1, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().Be($"yamnet: {Path.Combine(dir, "locked")}: cannot read the directory: permission denied");
        Files(r).Should().Equal(Path.Combine(dir, "ok.wav"));
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task A_non_utf8_file_name_is_named_as_such_not_file_not_found()
    {
        string dir = NewDir();
        // The name's bytes (Latin-1 "café.wav") are not UTF-8, so only a byte-level helper can create it.
        var made = await CliRunner.RunAsync(["-c", "import sys,shutil; shutil.copy(sys.argv[1], sys.argv[2].encode() + b'/caf\\xe9.wav')", TestAssets.Meow, dir], null, null, "python3");
        made.ExitCode.Should().Be(0, made.ToString());

        var r = await CliRunner.RunAsync(["classify", dir], null);

        r.ExitCode.Should().Be(1);
        r.StderrLines.Should().ContainSingle().Which.Should().Contain("not valid UTF-8").And.NotContain("file not found");
        await CliRunner.RunAsync(["-rf", dir], null, null, "rm"); // .NET cannot name the file to delete it either
    }

    [Fact]
    public async Task Classify_dash_reads_wav_from_stdin()
    {
        var r = await Bash($"{Yamnet} classify --format csv - < {Quote(TestAssets.Meow)}");
        var file = await CliRunner.RunAsync(["classify", "--format", "csv", TestAssets.Meow], null);

        r.ExitCode.Should().Be(0, r.ToString());
        CliCsvRow.Parse(r.Stdout).Select(x => (x.Index, x.Score)).Should().Equal(CliCsvRow.Parse(file.Stdout).Select(x => (x.Index, x.Score)));
    }

    [Theory]
    [InlineData("text", "Window 0 [")]
    [InlineData("csv", "\n-,0,")]
    [InlineData("json", "\"index\": 0,")]
    [InlineData("jsonl", "\"index\":0,")]
    public async Task A_single_input_streams_its_windows_out_while_the_rest_of_it_is_still_arriving(string format, string firstWindow)
    {
        // 40 s of WAV on stdin, the second half only once the first window's result is on stdout: were
        // the windows written after the last one (as before issue 16's streaming), the marker would never
        // come and the wait would time out. The output must still be exactly the file's own.
        string dir = NewDir();
        string wav = NoiseWav(dir, "n.wav", 40);
        byte[] bytes = File.ReadAllBytes(wav);
        string[] args = ["classify", "--windows", "all", "--format", format];
        var whole = await CliRunner.RunAsync([.. args, wav], null);
        whole.ExitCode.Should().Be(0, whole.ToString());

        var psi = new System.Diagnostics.ProcessStartInfo(CliRunner.DotnetHost) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "exec", CliRunner.YamnetDll }.Concat(args).Append("-")) psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var err = process.StandardError.ReadToEndAsync();
        var stdin = process.StandardInput.BaseStream;
        await stdin.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
        await stdin.FlushAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var output = new MemoryStream();
        var buffer = new byte[1 << 16];
        var stdout = process.StandardOutput.BaseStream;
        while (!Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length).Contains(firstWindow))
        {
            int n;
            try
            {
                n = await stdout.ReadAsync(buffer, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw new Xunit.Sdk.XunitException($"no window was written in 90 s while the input was still open; stdout so far:\n{Encoding.UTF8.GetString(output.ToArray())}");
            }
            n.Should().BePositive("stdout ended before stdin did");
            output.Write(buffer, 0, n);
        }
        await stdin.WriteAsync(bytes.AsMemory(bytes.Length / 2));
        stdin.Close();
        await stdout.CopyToAsync(output, timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        process.ExitCode.Should().Be(0, await err);
        (await err).Should().BeEmpty();
        string streamed = Encoding.UTF8.GetString(output.ToArray());
        string expected = whole.Stdout.Replace(wav, "-");
        if (format == "json")
        {
            // The header-declared stream has the file's format; only the name differs.
            using var a = JsonDocument.Parse(streamed);
            using var b = JsonDocument.Parse(expected);
            var fa = a.RootElement.GetProperty("files")[0];
            var fb = b.RootElement.GetProperty("files")[0];
            fa.GetProperty("windows").GetRawText().Should().Be(fb.GetProperty("windows").GetRawText());
            fa.GetProperty("windows").GetArrayLength().Should().BeGreaterThan(16000 * 20 / 7800, "both halves were classified");
        }
        else
        {
            streamed.Should().Be(expected);
        }
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("sox {0} -t flac - | {1} classify --windows all --format json -")]         // FLAC encoded to a pipe: unknown length
    [InlineData("{1} classify --windows all --format json <(sox {0} -t flac -)")]          // process substitution
    [InlineData("{1} classify --windows all --format json <(sox {0} -t ogg -)")]
    [InlineData("mkfifo f.flac && (sox {0} -t flac - > f.flac &) && {1} classify --windows all --format json f.flac")]
    public async Task Flac_and_ogg_from_a_pipe_or_fifo_are_classified_whole(string script)
    {
        string dir = NewDir();
        string wav = NoiseWav(dir, "n.wav", 8);
        var whole = await CliRunner.RunAsync(["classify", "--windows", "all", "--format", "json", wav], null);

        var r = await Bash(string.Format(script, Quote(wav), Yamnet), dir);

        r.ExitCode.Should().Be(0, r.ToString());
        r.Stderr.Should().BeEmpty();
        using var doc = JsonDocument.Parse(r.StdoutBytes);
        using var reference = JsonDocument.Parse(whole.StdoutBytes);
        var f = doc.RootElement.GetProperty("files")[0];
        f.TryGetProperty("error", out _).Should().BeFalse();
        f.GetProperty("windows").GetArrayLength().Should().Be(reference.RootElement.GetProperty("files")[0].GetProperty("windows").GetArrayLength());
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Damaged_files_keep_the_windows_before_the_damage_and_later_files_are_kept()
    {
        string dir = NewDir();
        string wav = NoiseWav(dir, "n.wav", 10);
        var flac = await Bash($"sox {Quote(wav)} {Quote(Path.Combine(dir, "n.flac"))}");
        flac.ExitCode.Should().Be(0, flac.ToString());
        byte[] full = File.ReadAllBytes(Path.Combine(dir, "n.flac"));
        File.WriteAllBytes(Path.Combine(dir, "cut.flac"), full[..(full.Length / 2)]);
        File.WriteAllBytes(Path.Combine(dir, "nan.wav"), FloatWavWithNaN(16000 * 10, nanAt: 16000 * 5));

        var r = await CliRunner.RunAsync(["classify", "--windows", "all", "--format", "json", "cut.flac", "nan.wav", "n.wav"], dir);

        r.ExitCode.Should().Be(1);
        using var doc = JsonDocument.Parse(r.StdoutBytes);
        var files = doc.RootElement.GetProperty("files").EnumerateArray().ToList();
        files.Should().HaveCount(3);
        foreach (var damaged in files.Take(2))
        {
            damaged.GetProperty("windows").GetArrayLength().Should().BeGreaterThan(0, "the windows before the damage are kept");
            damaged.GetProperty("error").GetString().Should().MatchRegex(@"\(at [0-9.]+ s; the [0-9]+ windows? before it are kept\)$");
        }
        files[2].TryGetProperty("error", out _).Should().BeFalse();
        files[2].GetProperty("windows").GetArrayLength().Should().BeGreaterThan(files[0].GetProperty("windows").GetArrayLength());
        r.StderrLines.Should().HaveCount(2);
        Directory.Delete(dir, true);
    }

    /// <summary>A 32-bit float mono 16 kHz WAV of quiet noise with one NaN sample.</summary>
    private static byte[] FloatWavWithNaN(int samples, int nanAt)
    {
        var b = new byte[44 + samples * 4];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(b, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)(b.Length - 8));
        Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(b, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(20), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(22), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(24), 16000);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(28), 16000 * 4);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(32), 4);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(34), 32);
        Encoding.ASCII.GetBytes("data").CopyTo(b, 36);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(40), (uint)(samples * 4));
        var rng = new Random(3);
        for (int i = 0; i < samples; i++)
            BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(44 + 4 * i), i == nanAt ? float.NaN : (float)(rng.NextDouble() - 0.5) * 0.2f);
        return b;
    }
}
