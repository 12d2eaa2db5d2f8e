using System.Text.Json;
using Xunit.Abstractions;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>
/// The audio fuzz corpus through the whole CLI, as a user would meet it: all 200 mutations of one
/// format in one <c>classify --format json --windows all</c> run (the decoder fuzz in
/// Yamnet.Native.Tests covers the same bytes in-process, one case at a time, with a per-case memory
/// bound). The run must end (CliRunner's 90 s timeout), exit 0 or 1 (never a crash), print one valid
/// JSON document with every input in input order, say each failure (or a warning for damage the decoder
/// skipped) in one <c>yamnet: </c> line naming the file on stderr and nothing else, and keep its peak resident memory bounded (VmHWM, reported by the CLI).
/// </summary>
public class CliFuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// Peak resident memory of a whole run: the JIT runtime, TFLite and 2 interpreters take ~100 MB; a
    /// case that made a decoder or the resampler allocate by a bogus size would add far more.
    /// </summary>
    private const long MaxPeakRssKb = 400 * 1024;

    private const int CasesPerFormat = 200;

    public static TheoryData<int> FormatIndices() => [.. Enumerable.Range(0, AudioFuzzCorpus.Formats.Length)];

    [Theory]
    [MemberData(nameof(FormatIndices))]
    public async Task Every_mutated_file_gets_a_result_or_one_error_line_in_a_valid_document(int format)
    {
        string dir = TestAssets.NewTempDir("cli-fuzz");
        byte[] seed = AudioFuzzCorpus.Seed(format);
        var paths = new List<string>();
        for (int n = 0; n < CasesPerFormat; n++)
        {
            string path = Path.Combine(dir, $"case{n:000}.bin");
            await File.WriteAllBytesAsync(path, AudioFuzzCorpus.Mutate(seed, n).Bytes);
            paths.Add(path);
        }
        string list = Path.Combine(dir, "inputs.txt");
        await File.WriteAllLinesAsync(list, paths);

        var r = await CliRunner.RunAsync(["classify", "--files-from", list, "--format", "json", "--windows", "all", "--maxResults", "1"], workingDirectory: null,
            environment: new Dictionary<string, string?> { [Yamnet.Cli.PeakRss.EnvironmentVariable] = "1" });
        string what = $"{AudioFuzzCorpus.Formats[format]}: {r}";
        r.ExitCode.Should().BeOneOf([0, 1], what);

        using var doc = JsonDocument.Parse(r.StdoutBytes);
        var files = doc.RootElement.GetProperty("files").EnumerateArray().ToList();
        files.Select(f => f.GetProperty("file").GetString()).Should().Equal(paths, "every input, in input order");
        var failed = files.Where(f => f.TryGetProperty("error", out _)).Select(f => f.GetProperty("file").GetString()!).ToList();
        (r.ExitCode == 1).Should().Be(failed.Count > 0, what);

        var lines = r.StderrLines.Where(l => !l.StartsWith(Yamnet.Cli.PeakRss.Prefix, StringComparison.Ordinal)).ToList();
        lines.Should().OnlyContain(l => l.StartsWith("yamnet: "), "only the CLI's own lines (no decoder chatter, no stack trace)");
        foreach (string path in failed)
            lines.Count(l => l.StartsWith($"yamnet: {path}: ", StringComparison.Ordinal)).Should().Be(1, $"{path} failed: one line says why");
        // A file that decoded to its end through damage the MP3 decoder skipped gets one warning instead.
        foreach (string path in paths)
            lines.Count(l => l.Contains(path + ":", StringComparison.Ordinal)).Should().BeLessThanOrEqualTo(1, $"{path}: at most one line");
        lines.Should().OnlyContain(l => paths.Any(p => l.Contains(p + ":", StringComparison.Ordinal)), "every line names its input");

        string rss = r.StderrLines.Single(l => l.StartsWith(Yamnet.Cli.PeakRss.Prefix, StringComparison.Ordinal));
        long peakKb = long.Parse(rss[Yamnet.Cli.PeakRss.Prefix.Length..]);
        output.WriteLine($"{AudioFuzzCorpus.Formats[format]}: {files.Count - failed.Count} classified, {failed.Count} failed, exit {r.ExitCode}, peak RSS {peakKb / 1024} MiB");
        failed.Count.Should().BeLessThan(CasesPerFormat, "the seed's mutations are not all fatal: the run also classifies");
        peakKb.Should().BeLessThan(MaxPeakRssKb, what);
    }
}
