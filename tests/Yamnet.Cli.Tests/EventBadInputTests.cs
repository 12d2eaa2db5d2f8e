using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>Bad event options and files: one line, exit 2, nothing on stdout.</summary>
public sealed class EventBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("yamnet-evbad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string p = Path.Combine(_dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    private static void ShouldFail(CliResult r, string expected)
    {
        r.ExitCode.Should().Be(2, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().StartWith("yamnet: error: ").And.Contain(expected);
        r.Stdout.Should().BeEmpty();
        r.Stderr.Should().NotContain("   at ");
    }

    [Fact]
    public async Task Bad_event_options_and_files()
    {
        string badThresholds = Write("t.tsv", "Cat\t0.5\nDog 0.4\n");
        string unknownInFile = Write("t2.tsv", "Cat\t0.5\nKitten\t0.4\n");
        string badGroups = Write("g.txt", "# pets\npets=Cat;Dog\nbirds Bird\n");
        string binary = Path.Combine(_dir, "bin.csv");
        File.WriteAllBytes(binary, [0x54, 0x46, 0x4c, 0x33, 0, 0, 0, 1, 0x0a]);
        var cases = new (string[] Args, string Expected)[]
        {
            (["--class-threshold", "Caat=0.4"], "unknown label 'Caat' in the thresholds; did you mean 'Cat'"),
            (["--allow", "Dgo"], "unknown label 'Dgo' in the allow list; did you mean 'Dog'"),
            (["--group", "pets=Cat;Dgo"], "unknown label 'Dgo' in group 'pets' (--group); did you mean 'Dog'"),
            (["--threshold", "0.3:0.5"], "off threshold 0.5 is above the on threshold 0.3"),
            (["--class-threshold", "Cat=0.3:0.6"], "Cat: off threshold 0.6 is above the on threshold 0.3"),
            (["--min-duration", "-1"], "minimum duration -1"),
            (["--merge-gap", "NaN"], "merge gap NaN"),
            (["--median", "4"], "odd number of windows"),
            (["--thresholds", badThresholds], badThresholds + ":2: 'Dog 0.4': expected LABEL<TAB>ON"),
            (["--thresholds", unknownInFile], "unknown label 'Kitten' in the thresholds"),
            (["--groups", badGroups], badGroups + ":3: 'birds Bird': expected NAME=LABEL;LABEL"),
            (["--thresholds", binary], "not a text file"),
            (["--labels", binary], "not a text"),
            (["--hop", "20000"], "must be from 1 to the window length"),
            (["--format", "xml"], "Unknown format 'xml'"),
        };
        foreach (var (args, expected) in cases)
            ShouldFail(await CliRunner.RunAsync(["detect", TestAssets.Meow, .. args], _dir), expected);
    }

    [Fact]
    public async Task Bad_reference_files_and_eval_options()
    {
        string good = Write("ok.tsv", "a.wav\t0\t1\tCat\n");
        string bad = Write("bad.tsv", "a.wav\t0\t1\tCat\na.wav\t2\t1\tCat\n");
        string spaces = Write("spaces.tsv", "a.wav 0 1 Cat\n");
        ShouldFail(await CliRunner.RunAsync(["eval", "--reference", bad, "--estimated", good], _dir), bad + ":2: offset 1 is before onset 2");
        ShouldFail(await CliRunner.RunAsync(["eval", "--reference", good, "--estimated", spaces], _dir), spaces + ":1: fields separated by spaces");
        ShouldFail(await CliRunner.RunAsync(["eval", "--reference", good], _dir), "Give either --estimated");
        ShouldFail(await CliRunner.RunAsync(["eval", "--reference", Path.Combine(_dir, "none.tsv"), "--estimated", good], _dir), "none.tsv");
        ShouldFail(await CliRunner.RunAsync(["eval", "--reference", good, "--estimated", good, "--format", "xml"], _dir), "Unknown format 'xml'");
        var same = await CliRunner.RunAsync(["eval", "--reference", good, "--estimated", good], _dir);
        same.ExitCode.Should().Be(0, same.ToString());
        same.StdoutLines[2].Should().StartWith("  overall (micro)  1.000  1.000  1.000  0.000");
    }

    [Fact]
    public async Task Hop_equal_to_the_window_classifies_non_overlapping_windows()
    {
        var r = await CliRunner.RunAsync(["classify", "--wavFile", TestAssets.Meow, "--windows", "all", "--hop", "window", "--format", "csv", "--maxResults", "1"], _dir);
        r.ExitCode.Should().Be(0, r.ToString());
        var starts = CliCsvRow.Parse(r.Stdout).Select(x => x.StartSeconds).ToList();
        starts.Should().Equal(Enumerable.Range(0, starts.Count).Select(k => k * 0.975));
        starts.Should().HaveCount(7, "6.73 s in 0.975 s windows");
        var both = await CliRunner.RunAsync(["classify", "--wavFile", TestAssets.Meow, "--hop", "7800", "--overlappingFactor", "0.5"], _dir);
        ShouldFail(both, "mutually exclusive");
    }
}
