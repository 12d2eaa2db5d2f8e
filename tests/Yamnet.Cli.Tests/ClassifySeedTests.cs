using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

public class ClassifySeedTests
{
    [Fact]
    public void Seed_command_prints_the_golden_block_byte_for_byte_with_empty_stderr()
    {
        var r = CliRunner.Run("classify", "--wavFile", TestAssets.Meow);
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stderr.Should().BeEmpty();
        r.StdoutBytes.Should().Equal(File.ReadAllBytes(TestAssets.Golden("meow_16k.seed-output.txt")));
    }

    [Fact]
    public async Task Seed_command_with_a_relative_path_from_the_clip_directory_matches_too()
    {
        // The seed runs `classify --wavFile test_data/meow_16k.wav` from the example's folder.
        string dir = TestAssets.NewTempDir("seed");
        Directory.CreateDirectory(Path.Combine(dir, "test_data"));
        File.Copy(TestAssets.Meow, Path.Combine(dir, "test_data", "meow_16k.wav"));
        var r = await CliRunner.RunAsync(["classify", "--wavFile", "test_data/meow_16k.wav"], dir);
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stderr.Should().BeEmpty();
        r.StdoutBytes.Should().Equal(File.ReadAllBytes(TestAssets.Golden("meow_16k.seed-output.txt")));
    }

    [Fact]
    public void Verbose_routes_tflite_messages_to_stderr_and_leaves_stdout_unchanged()
    {
        var r = CliRunner.Run("classify", "--wavFile", TestAssets.Meow, "--verbose");
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stderr.Should().Contain("XNNPACK");
        r.StdoutBytes.Should().Equal(File.ReadAllBytes(TestAssets.Golden("meow_16k.seed-output.txt")));
    }

    [Fact]
    public async Task Class_map_labels_add_mids_in_text_csv_and_json()
    {
        var text = CliRunner.RunAsync("classify", "--wavFile", TestAssets.Meow, "--labels", TestAssets.ClassMap);
        var csv = CliRunner.RunAsync("classify", "--wavFile", TestAssets.Meow, "--labels", TestAssets.ClassMap, "--format", "csv");
        var json = CliRunner.RunAsync("classify", "--wavFile", TestAssets.Meow, "--labels", TestAssets.ClassMap, "--format", "json");

        var t = await text;
        t.ExitCode.Should().Be(0, t.ToString());
        t.StdoutLines[1].Should().Be("  Category: Cat, index: 76, score: 0.80078125, mid: /m/01yrx");

        var rows = CliCsvRow.Parse((await csv).Stdout, expectMid: true);
        rows[0].Mid.Should().Be("/m/01yrx");
        rows[2].Label.Should().Be("Domestic animals, pets");

        using var doc = System.Text.Json.JsonDocument.Parse((await json).Stdout);
        var cls = doc.RootElement.GetProperty("files")[0].GetProperty("windows")[0].GetProperty("classes")[0];
        cls.GetProperty("mid").GetString().Should().Be("/m/01yrx");
        doc.RootElement.GetProperty("model").GetProperty("labels").GetString().Should().Be(TestAssets.ClassMap);
    }

    [Fact]
    public async Task Help_is_available_for_root_and_each_command()
    {
        var rootTask = CliRunner.RunAsync("--help");
        var classifyTask = CliRunner.RunAsync("classify", "--help");
        var infoTask = CliRunner.RunAsync("info", "--help");
        var (root, classify, info) = (await rootTask, await classifyTask, await infoTask);
        root.ExitCode.Should().Be(0);
        root.Stdout.Should().Contain("classify").And.Contain("info");
        classify.ExitCode.Should().Be(0);
        foreach (string o in new[] { "--wavFile", "--model", "--maxResults", "--scoreThreshold", "--overlappingFactor", "--numThreads", "--enableEdgeTPU",
                     "--labels", "--windows", "--summary", "--allow", "--deny", "--delegate", "--format", "--jobs", "--sampleRate", "--verbose" })
            classify.Stdout.Should().Contain(o);
        info.ExitCode.Should().Be(0);
    }
}
