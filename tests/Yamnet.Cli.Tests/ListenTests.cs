using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>
/// <c>yamnet listen</c> end to end, as a real process: standard input (raw and WAV) and the real ALSA
/// capture path against a file-backed ALSA device defined in a test configuration.
/// </summary>
public partial class ListenTests
{
    private const int Window = 15600, Hop = 7800;

    private static readonly string[] SeedFirstWindow =
    [
        "  Category: Cat, index: 76, score: 0.80078125",
        "  Category: Animal, index: 67, score: 0.66796875",
        "  Category: Domestic animals, pets, index: 68, score: 0.66796875",
        "  Category: Meow, index: 78, score: 0.5",
        "  Category: Caterwaul, index: 80, score: 0.33203125",
    ];

    /// <summary>The data chunk of a RIFF/WAVE file, found by walking its chunks.</summary>
    private static byte[] DataChunk(string wavPath)
    {
        byte[] b = File.ReadAllBytes(wavPath);
        int p = 12;
        while (p + 8 <= b.Length)
        {
            string id = Encoding.ASCII.GetString(b, p, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(p + 4));
            if (id == "data") return b.AsSpan(p + 8, Math.Min(size, b.Length - p - 8)).ToArray();
            p += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no data chunk");
    }

    private static int MeowSamples => DataChunk(TestAssets.Meow).Length / 2;

    private static int ExpectedWindows(int n) => n <= Window ? 1 : (n - Window + Hop - 1) / Hop + 1;

    private static readonly Lazy<List<GoldenRow>> s_golden = new(() => GoldenRow.Read(TestAssets.Golden("meow_16k.xnnpack-qs8.hop7800.top5.csv")));

    private static void ShouldMatchGolden(List<CliCsvRow> rows, string file)
    {
        var golden = s_golden.Value;
        rows.Should().HaveCount(golden.Count);
        for (int i = 0; i < golden.Count; i++)
        {
            var (e, a) = (golden[i], rows[i]);
            a.File.Should().Be(file);
            int.Parse(a.Window, CultureInfo.InvariantCulture).Should().Be(e.Window, $"row {i}");
            (a.StartSeconds * 16000).Should().BeApproximately(e.StartSample, 8.0);
            a.Rank.Should().Be(e.Rank);
            a.Index.Should().Be(e.Index, $"row {i}");
            a.Score.Should().Be(e.Score, $"row {i}");
        }
    }

    // ---------------------------------------------------------------- stdin

    [Fact]
    public async Task Raw_pcm_on_stdin_gives_every_golden_window()
    {
        var r = await RunAsync(["listen", "--input", "-", "--format", "csv"], DataChunk(TestAssets.Meow));
        r.ExitCode.Should().Be(0, r.ToString());
        var rows = CliCsvRow.Parse(r.Stdout);
        rows.Select(x => x.Window).Distinct().Should().HaveCount(ExpectedWindows(MeowSamples));
        ShouldMatchGolden(rows, "stdin");
        r.StderrLines.Should().ContainSingle().Which.Should().Contain($"end of input; {ExpectedWindows(MeowSamples)} windows classified, 0 dropped")
            .And.Contain("6.731 s of audio");
    }

    [Fact]
    public async Task Wav_on_stdin_prints_json_lines_matching_the_golden_windows()
    {
        var r = await RunAsync(["listen", "--input", "-", "--format", "json"], File.ReadAllBytes(TestAssets.Meow));
        r.ExitCode.Should().Be(0, r.ToString());
        var lines = r.StdoutLines;
        lines.Should().HaveCount(ExpectedWindows(MeowSamples));
        var golden = s_golden.Value;
        for (int k = 0; k < lines.Length; k++)
        {
            using var doc = JsonDocument.Parse(lines[k]);
            var root = doc.RootElement;
            root.EnumerateObject().Select(p => p.Name).Should().Equal("window", "start_seconds", "end_seconds", "classes");
            root.GetProperty("window").GetInt32().Should().Be(k);
            root.GetProperty("start_seconds").GetDouble().Should().Be(k * Hop / 16000.0);
            root.GetProperty("end_seconds").GetDouble().Should().Be(Math.Min(k * Hop + Window, MeowSamples) / 16000.0);
            var classes = root.GetProperty("classes").EnumerateArray().ToList();
            var expected = golden.Where(g => g.Window == k).OrderBy(g => g.Rank).ToList();
            classes.Should().HaveCount(expected.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                classes[i].GetProperty("index").GetInt32().Should().Be(expected[i].Index);
                classes[i].GetProperty("score").GetSingle().Should().Be(expected[i].Score);
                classes[i].GetProperty("label").GetString().Should().NotBeNullOrEmpty();
            }
        }
        lines[0].Should().StartWith("""{"window":0,"start_seconds":0,"end_seconds":0.975,"classes":[{"index":76,"label":"Cat","score":0.80078125},""");
    }

    [Fact]
    public async Task Text_output_starts_with_the_seeds_first_window()
    {
        var r = await RunAsync(["listen", "--input", "-"], File.ReadAllBytes(TestAssets.Meow));
        r.ExitCode.Should().Be(0, r.ToString());
        var lines = r.StdoutLines;
        lines[0].Should().Be("Window 0 [0.000s - 0.975s]:");
        lines.Skip(1).Take(5).Should().Equal(SeedFirstWindow);
        lines.Count(l => l.StartsWith("Window ", StringComparison.Ordinal)).Should().Be(ExpectedWindows(MeowSamples));
    }

    [Fact]
    public async Task Raw_stereo_with_equal_channels_downmixes_bit_exactly()
    {
        byte[] mono = DataChunk(TestAssets.Meow);
        var stereo = new byte[mono.Length * 2];
        for (int i = 0; i < mono.Length / 2; i++)
        {
            mono.AsSpan(2 * i, 2).CopyTo(stereo.AsSpan(4 * i));
            mono.AsSpan(2 * i, 2).CopyTo(stereo.AsSpan(4 * i + 2));
        }
        var r = await RunAsync(["listen", "--input", "-", "--channels", "2", "--format", "csv"], stereo);
        r.ExitCode.Should().Be(0, r.ToString());
        ShouldMatchGolden(CliCsvRow.Parse(r.Stdout), "stdin");
    }

    [Fact]
    public async Task A_short_input_flushes_one_zero_padded_window_and_empty_input_none()
    {
        byte[] data = DataChunk(TestAssets.Meow)[..(2 * 1000)];
        var r = await RunAsync(["listen", "--input", "-", "--format", "json"], data);
        r.ExitCode.Should().Be(0, r.ToString());
        r.StdoutLines.Should().ContainSingle().Which.Should().Contain("\"end_seconds\":0.0625");

        var empty = await RunAsync(["listen", "--input", "-"], []);
        empty.ExitCode.Should().Be(0, empty.ToString());
        empty.Stdout.Should().BeEmpty();
        empty.Stderr.Should().Contain("0 windows classified");
    }

    [Fact]
    public async Task Duration_stops_the_stream_early_like_an_end_of_input()
    {
        var r = await RunAsync(["listen", "--input", "-", "--format", "csv", "--duration", "1"], DataChunk(TestAssets.Meow));
        r.ExitCode.Should().Be(0, r.ToString());
        // 16000 samples: windows 0 (full) and 1 (7800..16000, padded).
        CliCsvRow.Parse(r.Stdout).Select(x => x.Window).Distinct().Should().Equal("0", "1");
        r.Stderr.Should().Contain("1.000 s of audio");
    }

    [Fact]
    public async Task Window_and_hop_come_from_the_model()
    {
        // The second model: 5360-sample windows, 527 classes, no metadata (16 kHz by default).
        const int w = 5360, hop = 2680, n = 20000;
        var r = await RunAsync(["listen", "--input", "-", "--model", TestAssets.SecondModel, "--format", "json", "--maxResults", "2"],
            DataChunk(TestAssets.Meow)[..(2 * n)]);
        r.ExitCode.Should().Be(0, r.ToString());
        var lines = r.StdoutLines;
        lines.Should().HaveCount((n - w + hop - 1) / hop + 1);
        lines[0].Should().StartWith("""{"window":0,"start_seconds":0,"end_seconds":0.335,""");
        lines[^1].Should().Contain("\"end_seconds\":1.25,");
    }

    [Fact]
    public async Task A_malformed_wav_on_stdin_is_one_line_and_exit_1()
    {
        byte[] wav = File.ReadAllBytes(TestAssets.Meow)[..30];
        var r = await RunAsync(["listen", "--input", "-"], wav);
        r.ExitCode.Should().Be(1, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().StartWith("yamnet: error: stdin:");
    }

    [Theory]
    [InlineData("--device", "x", "--input", "-")]
    [InlineData("--input", "-", "--overflow", "sometimes")]
    [InlineData("--input", "-", "--rate", "0")]
    [InlineData("--input", "-", "--channels", "65")]
    [InlineData("--rate", "8000")]
    [InlineData("--input", "-", "--duration", "-1")]
    [InlineData("--input", "-", "--queue", "0")]
    [InlineData("--input", "-", "--format", "xml")]
    [InlineData("--input", "/nonexistent/yamnet-fifo")]
    public async Task Bad_options_are_usage_errors(params string[] args)
    {
        var r = await RunAsync(["listen", .. args], []);
        r.ExitCode.Should().Be(2, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().StartWith("yamnet: error: ");
        r.Stdout.Should().BeEmpty();
    }

    // ---------------------------------------------------------------- ALSA

    /// <summary>
    /// A capture device backed by a file: alsa-lib's <c>file</c> plugin replaces what its <c>null</c>
    /// slave captures with the bytes of <c>infile</c> (raw, in the negotiated format: S16_LE 16 kHz mono).
    /// The file is used standalone through ALSA_CONFIG_PATH, so the machine's sound setup plays no part.
    /// Note alsa-lib 1.2.8 does not end the stream at the end of <c>infile</c> (it keeps returning the
    /// last buffer), hence --duration.
    /// </summary>
    private sealed class AlsaTestDevice : IDisposable
    {
        private readonly string _dir = TestAssets.NewTempDir("listen-alsa");

        public AlsaTestDevice()
        {
            string raw = Path.Combine(_dir, "meow.s16le");
            File.WriteAllBytes(raw, DataChunk(TestAssets.Meow));
            string conf = Path.Combine(_dir, "asound.conf");
            File.WriteAllText(conf, AlsaTestConfig(raw));
            Environment = new Dictionary<string, string?> { ["ALSA_CONFIG_PATH"] = conf };
        }

        public Dictionary<string, string?> Environment { get; }

        public void Dispose() => Directory.Delete(_dir, recursive: true);
    }

    internal static string AlsaTestConfig(string rawPath) => $$"""
        pcm.yamnettest {
            type file
            slave.pcm { type null }
            file "/dev/null"
            infile "{{rawPath}}"
            format "raw"
        }
        """;

    private static string MeowDuration => (MeowSamples / 16000.0).ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Alsa_capture_of_a_file_backed_device_is_bit_exact_for_every_window()
    {
        using var device = new AlsaTestDevice();
        var env = device.Environment;
        var r = await RunAsync(["listen", "--device", "yamnettest", "--duration", MeowDuration, "--overflow", "block", "--format", "csv"], [], env);
        r.ExitCode.Should().Be(0, r.ToString());
        ShouldMatchGolden(CliCsvRow.Parse(r.Stdout), "alsa:yamnettest");
        r.StderrLines.Should().ContainSingle().Which.Should().Contain($"end of input; {ExpectedWindows(MeowSamples)} windows classified, 0 dropped");
    }

    /// <summary>
    /// The file-backed device delivers faster than real time, so with the default drop policy the
    /// capture outruns inference: whatever the split, the first window is classified exactly and every
    /// window is accounted for as classified or dropped.
    /// </summary>
    [Fact]
    public async Task Alsa_capture_in_drop_mode_accounts_for_every_window()
    {
        using var device = new AlsaTestDevice();
        var env = device.Environment;
        var r = await RunAsync(["listen", "--device", "yamnettest", "--duration", MeowDuration, "--queue", "1"], [], env);
        r.ExitCode.Should().Be(0, r.ToString());
        var lines = r.StdoutLines;
        lines[0].Should().Be("Window 0 [0.000s - 0.975s]:");
        lines.Skip(1).Take(5).Should().Equal(SeedFirstWindow);
        int classified = lines.Count(l => l.StartsWith("Window ", StringComparison.Ordinal));

        var summary = r.StderrLines[^1];
        var m = System.Text.RegularExpressions.Regex.Match(summary, @"end of input; (\d+) windows? classified, (\d+) dropped");
        m.Success.Should().BeTrue(summary);
        int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture).Should().Be(classified);
        int dropped = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        (classified + dropped).Should().Be(ExpectedWindows(MeowSamples));
        // One stderr line per burst of drops, then the summary.
        r.StderrLines[..^1].Should().AllSatisfy(l => l.Should().StartWith("yamnet: dropped window"));
        if (dropped > 0) r.StderrLines.Length.Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task Sigint_stops_a_live_capture_cleanly_with_a_summary()
    {
        using var device = new AlsaTestDevice();
        var env = device.Environment;
        using var process = Start(["listen", "--device", "yamnettest", "--format", "json"], env);
        using var reaper = new Reaper(process);
        var stderr = process.StandardError.ReadToEndAsync();
        // Wait for the first result: the capture is running and the signal handlers are installed.
        string? first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
        first.Should().StartWith("""{"window":0,""");
        Kill(process.Id, SIGINT).Should().Be(0);
        var rest = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        await rest;
        string err = await stderr;
        process.ExitCode.Should().Be(0, err);
        err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Should().MatchRegex(@"^yamnet: listen alsa:yamnettest: stopped by interrupt; \d+ windows? classified, \d+ dropped");
    }

    [Fact]
    public async Task A_missing_device_is_one_line_and_exit_1()
    {
        using var device = new AlsaTestDevice();
        var env = device.Environment;
        var r = await RunAsync(["listen", "--device", "yamnet-no-such-device"], [], env);
        r.ExitCode.Should().Be(1, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().StartWith("yamnet: error: no such ALSA capture device 'yamnet-no-such-device'");
        r.Stdout.Should().BeEmpty();
    }

    // ---------------------------------------------------------------- process helpers

    private const int SIGINT = 2;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    /// <summary>
    /// Kills the child if the test leaves early (a failed assertion or a timeout): an endless capture
    /// must not outlive the test run (one did, for 43 minutes, on a loaded machine).
    /// </summary>
    private sealed class Reaper(Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // never started or already reaped
            }
        }
    }

    private static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment)
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host) || !File.Exists(host))
            host = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        // Through env --default-signal: a suite started in the background (CI under nohup, `./test.sh &`)
        // inherits SIGINT as ignored, and an ignored SIGINT stays ignored in the child, so a Ctrl-C test
        // would wait for a signal that can never arrive.
        var psi = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add("--default-signal=INT,TERM");
        psi.ArgumentList.Add(host);
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(CliRunner.YamnetDll);
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("YAMNET_MODEL");
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    /// <summary>Runs yamnet with <paramref name="stdin"/> written to its standard input (then closed).</summary>
    private static async Task<CliResult> RunAsync(string[] args, byte[] stdin, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Start(args, environment);
        using var reaper = new Reaper(process);
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var readErr = process.StandardError.ReadToEndAsync();
        var feed = Task.Run(async () =>
        {
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin);
                await process.StandardInput.BaseStream.FlushAsync();
            }
            catch (IOException)
            {
                // The process exited without reading everything (usage errors): fine.
            }
            finally
            {
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                }
            }
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("yamnet " + string.Join(' ', args) + " did not finish in 90 s");
        }
        await copyOut;
        await feed;
        return new CliResult(process.ExitCode, stdout.ToArray(), await readErr);
    }
}
