using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Yamnet.Cli.Tests;

/// <summary>
/// detect and embed stop like classify (shared <see cref="Interruption"/>): a real SIGINT/SIGTERM sent
/// once the child has demonstrably written output closes the document validly, keeps what was done,
/// prints one line and exits 130/143; a reader that goes away ends the run quietly with 141.
/// </summary>
public class DetectEmbedSignalTests : IClassFixture<SignalAndPipeTests.LongFiles>
{
    private const int Sigint = 2;
    private const int Sigterm = 15;
    private readonly SignalAndPipeTests.LongFiles _files;

    public DetectEmbedSignalTests(SignalAndPipeTests.LongFiles files) => _files = files;

    private string[] Detect(string format) => ["detect", "--format", format, "--jobs", "1", "--numThreads", "1", .. _files.Paths];

    private string[] Embed() => ["embed", "--format", "jsonl", "--jobs", "1", "--numThreads", "1", .. _files.Paths];

    [Fact]
    public async Task A_signal_during_detect_json_closes_the_document_and_says_what_was_done()
    {
        // A file's object is written when the file is done: the signal goes out after the first one.
        var r = await SignalAndPipeTests.SignalAfter("\"file\":", Sigint, Detect("json"));

        r.ExitCode.Should().Be(130, r.ToString());
        string line = r.StderrLines.Should().ContainSingle().Subject;
        line.Should().MatchRegex(@"^yamnet: interrupted by SIGINT after [1-5] of 6 files(; .*long[1-5]\.wav cut at [0-9.]+ s( \([0-9]+ events? kept\))?)?$");
        using var doc = JsonDocument.Parse(r.StdoutBytes); // throws on an unterminated document
        var files = doc.RootElement.GetProperty("files").EnumerateArray().ToList();
        files.Count.Should().BeInRange(1, 6);
        var whole = files.Where(f => !f.TryGetProperty("error", out _)).ToList();
        whole.Should().NotBeEmpty();
        whole.Select(f => f.GetProperty("windows").GetInt32()).Distinct().Should().ContainSingle("every finished file is whole (same audio)");
        int finished = int.Parse(Regex.Match(line, @"after (\d+) of").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        whole.Count.Should().Be(finished);
        var cut = files.Where(f => f.TryGetProperty("error", out _)).ToList();
        cut.Should().HaveCountLessThanOrEqualTo(1);
        if (cut.Count == 1)
        {
            cut[0].GetProperty("error").GetString().Should().StartWith("interrupted at ");
            cut[0].GetProperty("windows").GetInt32().Should().BeLessThan(whole[0].GetProperty("windows").GetInt32(), "it was stopped part-way");
            line.Should().Contain(" cut at ");
        }
    }

    [Fact]
    public async Task A_signal_during_embed_keeps_every_written_vector_whole_and_counts_the_cut()
    {
        // Vectors stream out as they are made: the signal goes out once the first ones are on stdout.
        var r = await SignalAndPipeTests.SignalAfter("{\"file\":", Sigterm, Embed());

        r.ExitCode.Should().Be(143, r.ToString());
        string line = r.StderrLines.Should().ContainSingle().Subject;
        var m = Regex.Match(line, @"^yamnet: interrupted by SIGTERM after (\d) of 6 files(; (.*) cut at [0-9.]+ s( \((\d+) windows? kept\))?)?$");
        m.Success.Should().BeTrue(line);
        r.Stdout.Should().EndWith("\n");
        var rows = r.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList(); // every line is whole JSON
        var perFile = rows.GroupBy(x => x.GetProperty("file").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        int finished = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        perFile.Values.Where(n => n > 0).Should().NotBeEmpty();
        var complete = _files.Paths.Take(finished).Select(p => perFile[p]).ToList();
        complete.Distinct().Should().HaveCountLessThanOrEqualTo(1, "every finished file is whole (same audio)");
        if (m.Groups[2].Success)
        {
            string cutFile = m.Groups[3].Value;
            int kept = m.Groups[5].Success ? int.Parse(m.Groups[5].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            perFile.GetValueOrDefault(cutFile).Should().Be(kept, "every vector made before the signal is written, and the line counts them");
            if (complete.Count > 0) kept.Should().BeLessThan(complete[0]);
        }
        perFile.Keys.Should().BeSubsetOf(_files.Paths.Take(finished + 1), "nothing after the cut file was started");
    }

    [Theory]
    [InlineData("detect")]
    [InlineData("embed")]
    public async Task A_closed_pipe_stops_detect_and_embed_quietly_with_141(string command)
    {
        var psi = new ProcessStartInfo(CliRunner.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "exec", CliRunner.YamnetDll }.Concat(command == "detect" ? Detect("text") : Embed())) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var err = process.StandardError.ReadToEndAsync();
        string? first = await process.StandardOutput.ReadLineAsync();
        process.StandardOutput.Close(); // what `| head -1` does
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);

        first.Should().Contain("long0.wav");
        process.ExitCode.Should().Be(141);
        (await err).Should().BeEmpty();
    }
}
