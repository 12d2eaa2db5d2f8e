using System.Globalization;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

public class FilterAndSummaryTests
{
    [Fact]
    public void Allow_meow_only_reports_only_meow()
    {
        var r = CliRunner.Run("classify", "--wavFile", TestAssets.Meow, "--allow", "Meow", "--windows", "all", "--format", "csv");
        r.ExitCode.Should().Be(0, r.ToString());
        var rows = CliCsvRow.Parse(r.Stdout);
        rows.Should().NotBeEmpty().And.OnlyContain(x => x.Label == "Meow" && x.Index == 78);
    }

    [Fact]
    public void Allow_takes_labels_with_commas_and_is_repeatable()
    {
        var r = CliRunner.Run("classify", "--wavFile", TestAssets.Meow, "--allow", "Domestic animals, pets", "--allow", "Meow", "--format", "csv");
        r.ExitCode.Should().Be(0, r.ToString());
        CliCsvRow.Parse(r.Stdout).Select(x => x.Index).Should().Equal(68, 78);
    }

    [Fact]
    public void Deny_cat_removes_cat_and_promotes_the_next_class()
    {
        var r = CliRunner.Run("classify", "--wavFile", TestAssets.Meow, "--deny", "Cat");
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stdout.Should().NotContain("Category: Cat,");
        r.StdoutLines.Should().HaveCount(6);
        r.StdoutLines[1].Should().Be("  Category: Animal, index: 67, score: 0.66796875");
    }

    [Fact]
    public void Score_threshold_drops_lower_classes()
    {
        var r = CliRunner.Run("classify", "--wavFile", TestAssets.Meow, "--scoreThreshold", "0.5");
        r.ExitCode.Should().Be(0, r.ToString());
        r.StdoutLines.Skip(1).Select(l => l.Split("index: ")[1].Split(',')[0]).Should().Equal("76", "67", "68", "78");
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("max")]
    public async Task Summary_equals_the_aggregate_of_every_window(string method)
    {
        var all = CliRunner.RunAsync("classify", "--wavFile", TestAssets.Meow, "--windows", "all", "--format", "csv", "--maxResults", "-1");
        var summary = CliRunner.RunAsync("classify", "--wavFile", TestAssets.Meow, "--summary", method, "--format", "csv", "--maxResults", "5");
        var rows = CliCsvRow.Parse((await all).Stdout);
        int windows = rows.Select(x => x.Window).Distinct().Count();
        windows.Should().Be(13);
        rows.Should().HaveCount(13 * 521);

        // Mean: summed in double in window order, divided, rounded to float (as ScoreAggregate documents).
        var expected = rows.GroupBy(x => x.Index).Select(g =>
        {
            var perWindow = g.OrderBy(x => int.Parse(x.Window, CultureInfo.InvariantCulture)).Select(x => (double)x.Score).ToList();
            float v = method == "mean" ? (float)(perWindow.Sum() / perWindow.Count) : (float)perWindow.Max();
            return (Index: g.Key, Score: v);
        }).OrderByDescending(x => x.Score).ThenBy(x => x.Index).Take(5).ToList();

        var s = await summary;
        s.ExitCode.Should().Be(0, s.ToString());
        var got = CliCsvRow.Parse(s.Stdout);
        got.Select(x => (x.Index, x.Score)).Should().Equal(expected);
        got.Should().OnlyContain(x => x.Window == method);
        got[0].Index.Should().Be(76);
        got[0].EndSeconds.Should().BeApproximately(107698 / 16000.0, 0.0005);
    }

    [Fact]
    public void Summary_text_is_one_block()
    {
        var r = CliRunner.Run("classify", "--wavFile", TestAssets.Meow, "--summary", "max");
        r.ExitCode.Should().Be(0, r.ToString());
        r.StdoutLines.Should().HaveCount(6);
        r.StdoutLines[0].Should().Be("Summary (max over 13 windows) [0.000s - 6.731s]:");
    }

    [Fact]
    public void Max_results_minus_one_returns_every_class()
    {
        var r = CliRunner.Run("classify", "--wavFile", TestAssets.Meow, "--maxResults", "-1", "--format", "csv");
        CliCsvRow.Parse(r.Stdout).Select(x => x.Index).Should().BeEquivalentTo(Enumerable.Range(0, 521));
    }
}
