using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>
/// Real signals sent to a real child process once it has written its first output, and a real
/// pipe closed by its reader: documents stay valid, one line says what was done, exit 130/143/141.
/// </summary>
public class SignalAndPipeTests : IClassFixture<SignalAndPipeTests.LongFiles>
{
    private const int Sigint = 2;
    private const int Sigterm = 15;

    /// <summary>An upper bound on one file's windows (300 s at YAMNet's 7800-sample hop, plus the padded last one).</summary>
    private const int MaxWindowsPerFile = 16000 * 300 / 7800 + 2;
    private readonly LongFiles _files;

    public SignalAndPipeTests(LongFiles files) => _files = files;

    /// <summary>Six 5-minute noise WAVs: long enough that a signal sent after the first output always lands mid-batch.</summary>
    public sealed class LongFiles : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("yamnet-signal-").FullName;

        public string[] Paths { get; }

        public LongFiles()
        {
            byte[] wav = LimitsTests.Wav(16000, 16000 * 300);
            Paths = Enumerable.Range(0, 6).Select(i => Path.Combine(Dir, $"long{i}.wav")).ToArray();
            foreach (var p in Paths) File.WriteAllBytes(p, wav);
        }

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    /// <summary>
    /// Starts yamnet with SIGINT/SIGTERM at their defaults (a test host started in the background may
    /// have inherited SIGINT ignored, which .NET then keeps), waits until stdout contains
    /// <paramref name="marker"/>, sends <paramref name="signal"/> and returns what the process did.
    /// </summary>
    internal static async Task<CliResult> SignalAfter(string marker, int signal, params string[] args)
    {
        var psi = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in new[] { "--default-signal=INT,TERM", CliRunner.DotnetHost, "exec", CliRunner.YamnetDll }.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment.Remove("YAMNET_MODEL");
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var err = process.StandardError.ReadToEndAsync();
        var output = new MemoryStream();
        var stdout = process.StandardOutput.BaseStream;
        var buffer = new byte[1 << 16];
        bool sent = false;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        int n;
        while ((n = await stdout.ReadAsync(buffer, timeout.Token)) > 0)
        {
            output.Write(buffer, 0, n);
            if (!sent && Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length).Contains(marker))
            {
                kill(process.Id, signal).Should().Be(0);
                sent = true;
            }
        }
        await process.WaitForExitAsync(timeout.Token);
        sent.Should().BeTrue("the marker '{0}' was never written", marker);
        return new CliResult(process.ExitCode, output.ToArray(), await err);
    }

    private string[] Classify(string format, params string[] extra)
        => ["classify", "--format", format, "--windows", "all", "--jobs", "1", "--numThreads", "1", .. extra, .. _files.Paths];

    [Theory]
    [InlineData(Sigint, 130, "SIGINT")]
    [InlineData(Sigterm, 143, "SIGTERM")]
    public async Task A_signal_during_a_json_batch_closes_the_document_and_says_what_was_done(int signal, int exit, string name)
    {
        var r = await SignalAfter("\"file\":", signal, Classify("json"));

        r.ExitCode.Should().Be(exit, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().MatchRegex($"^yamnet: interrupted by {name} after [1-5] of 6 files");
        using var doc = JsonDocument.Parse(r.StdoutBytes); // throws on an unterminated document
        var files = doc.RootElement.GetProperty("files").EnumerateArray().ToList();
        files.Count.Should().BeInRange(1, 5);
        // The signal may land while a later file is being classified (it is then the last, cut) or
        // between two files (then no file is cut): every file but the last is whole either way.
        files.Take(files.Count - 1).Where(f => f.TryGetProperty("error", out _)).Should().BeEmpty();
        var complete = files.Where(f => !f.TryGetProperty("error", out _)).ToList();
        complete.Should().NotBeEmpty("the signal went out after the first file was written");
        complete.Select(f => f.GetProperty("windows").GetArrayLength()).Distinct().Should().ContainSingle("every finished file is whole (same audio)");
        var last = files[^1];
        if (last.TryGetProperty("error", out var error))
        {
            error.GetString().Should().StartWith("interrupted at ");
            r.Stderr.Should().Contain(" cut at ");
        }
    }

    [Theory]
    [InlineData("csv", Sigint, 130)]
    [InlineData("text", Sigterm, 143)]
    public async Task A_signal_during_csv_or_text_output_leaves_only_complete_rows(string format, int signal, int exit)
    {
        var r = await SignalAfter(format == "csv" ? "long0.wav," : "\n", signal, Classify(format)); // csv: a first row, not the header

        r.ExitCode.Should().Be(exit, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().StartWith("yamnet: interrupted by ");
        r.Stdout.Should().EndWith("\n");
        if (format == "csv")
        {
            var rows = CliCsvRow.Parse(r.Stdout); // every row has every column
            rows.Should().NotBeEmpty();
            rows.Count.Should().BeLessThan(6 * MaxWindowsPerFile * 5, "the batch was stopped");
        }
    }

    [Fact]
    public async Task A_signal_keeps_the_windows_done_of_the_file_being_classified_and_names_the_cut()
    {
        // One worker; a file's rows are written when it is done, so the signal goes out once the meow's
        // rows are out: the long file is then being opened or classified. Which of the two depends on the
        // machine's speed (an idle CI machine was still opening it), so both are accepted; when it was
        // cut, its windows classified before the signal must be in the output and named in the summary.
        var r = await SignalAfter("meow", Sigterm, ["classify", "--format", "csv", "--windows", "all", "--jobs", "1", "--numThreads", "1", TestAssets.Meow, _files.Paths[0]]);

        r.ExitCode.Should().Be(143, r.ToString());
        string summary = r.StderrLines.Should().ContainSingle().Subject;
        // A signal that lands after the long file was opened but before its first window is done cuts
        // it at 0 s with nothing kept (CI saw "long0.wav cut at 0 s"): the summary then names no count.
        summary.Should().MatchRegex(@"^yamnet: interrupted by SIGTERM after 1 of 2 files(; .*long0\.wav cut at [0-9.]+ s( \([0-9]+ windows? kept\))?)?$");
        var cut = CliCsvRow.Parse(r.Stdout).Where(x => x.File.EndsWith("long0.wav")).ToList();
        cut.Select(x => x.Window).Distinct().Count().Should().BeLessThan(MaxWindowsPerFile - 2, "the file was stopped");
        var kept = System.Text.RegularExpressions.Regex.Match(summary, @"\((\d+) windows? kept\)");
        int expected = kept.Success ? int.Parse(kept.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        cut.Select(x => x.Window).Distinct().Count().Should().Be(expected, "every window classified before the signal is written, and the summary counts them");
    }

    [Fact]
    public async Task A_closed_pipe_stops_the_batch_quietly_with_141()
    {
        var psi = new ProcessStartInfo(CliRunner.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "exec", CliRunner.YamnetDll }.Concat(Classify("csv"))) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var err = process.StandardError.ReadToEndAsync();
        string? header = await process.StandardOutput.ReadLineAsync();
        process.StandardOutput.Close(); // what `| head -1` does
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);

        header.Should().StartWith("file,window,");
        process.ExitCode.Should().Be(141);
        (await err).Should().BeEmpty();
    }

    [Fact]
    public async Task Listen_on_endless_input_exits_when_its_reader_goes_away()
    {
        var r = await CliRunner.RunAsync(["-c", $"'{CliRunner.DotnetHost}' exec '{CliRunner.YamnetDll}' listen --input - --format csv < /dev/zero | head -2 >/dev/null; echo \"${{PIPESTATUS[0]}}\""], null, null, "bash");

        r.Stdout.Trim().Should().Be("141", r.ToString());
    }

    [Fact]
    public async Task A_full_stdout_is_one_error_line_and_exit_1()
    {
        var r = await CliRunner.RunAsync(["-c", $"'{CliRunner.DotnetHost}' exec '{CliRunner.YamnetDll}' classify --windows all --format csv '{_files.Paths[0]}' > /dev/full"], null, null, "bash");

        r.ExitCode.Should().Be(1, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().StartWith("yamnet: error: cannot write the output: ");
    }
}
