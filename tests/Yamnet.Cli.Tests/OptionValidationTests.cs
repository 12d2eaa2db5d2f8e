using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

public class OptionValidationTests
{
    public static TheoryData<string[], string> BadValues => new()
    {
        { ["--scoreThreshold", "-0.1"], "Score threshold must be between (inclusive) 0 and 1." },
        { ["--scoreThreshold", "1.1"], "Score threshold must be between (inclusive) 0 and 1." },
        { ["--overlappingFactor", "-0.1"], "Overlapping factor must be between 0 and 1." },
        { ["--overlappingFactor", "1"], "Overlapping factor must be between 0 and 1." },
        { ["--maxResults", "0"], "Max results" },
        { ["--maxResults", "-2"], "Max results" },
        { ["--maxResults", "five"], "--maxResults" },
        { ["--numThreads", "0"], "Number of threads must be at least 1." },
        { ["--jobs", "0"], "jobs" },
        { ["--delegate", "gpu"], "Unknown delegate 'gpu'" },
        { ["--format", "xml"], "Unknown format 'xml'" },
        { ["--windows", "some"], "Unknown window mode" },
        { ["--summary", "median"], "Unknown summary" },
        { ["--enableEdgeTPU"], "Edge TPU is not supported" },
        { ["--allow", "Kitty"], "unknown label 'Kitty'" },
        { ["--allow", "Cat", "--deny", "Meow"], "mutually exclusive" },
        { ["--sampleRate", "44100"], "metadata fixes" },
        { ["--bogus"], "Unknown option '--bogus'" },
        { ["--labels", "/nonexistent/map.csv"], "/nonexistent/map.csv" },
        { ["--model", "/nonexistent/model.tflite"], "/nonexistent/model.tflite" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Bad_values_exit_2_with_one_line_on_stderr_and_no_stdout(string[] extra, string expected)
    {
        var r = CliRunner.Run(["classify", "--wavFile", TestAssets.Meow, .. extra]);
        r.ExitCode.Should().Be(2, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().Contain(expected);
        r.Stderr.Should().NotContain("   at ", "no stack trace ever");
        r.Stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task No_input_and_no_command_are_usage_errors()
    {
        var noInputTask = CliRunner.RunAsync("classify");
        var noCommandTask = CliRunner.RunAsync();
        var (noInput, noCommand) = (await noInputTask, await noCommandTask);
        noInput.ExitCode.Should().Be(2);
        noInput.StderrLines.Should().ContainSingle();
        noCommand.ExitCode.Should().Be(2);
        noCommand.StderrLines.Should().ContainSingle();
    }

    [Fact]
    public async Task Model_not_found_lists_every_place_tried_and_exits_2()
    {
        var r = await CliRunner.RunAsync(["classify", "--wavFile", TestAssets.Meow], null,
            new Dictionary<string, string?> { ["YAMNET_MODEL"] = "/nonexistent/env-model.tflite" });
        r.ExitCode.Should().Be(2, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().Contain("$YAMNET_MODEL=/nonexistent/env-model.tflite");
    }

    [Fact]
    public async Task Default_model_is_found_from_an_unrelated_working_directory()
    {
        // cwd has no models/ above it: the search falls back to the binary's ancestors (the checkout).
        string dir = TestAssets.NewTempDir("cwd");
        var r = await CliRunner.RunAsync(["classify", "--wavFile", TestAssets.Meow], dir);
        r.ExitCode.Should().Be(0, r.ToString());
        r.StdoutBytes.Should().Equal(File.ReadAllBytes(TestAssets.Golden("meow_16k.seed-output.txt")));
    }

    [Fact]
    public void Edge_tpu_flag_answers_in_one_clear_line()
    {
        var r = CliRunner.Run("classify", "--wavFile", TestAssets.Meow, "--enableEdgeTPU");
        r.ExitCode.Should().Be(2);
        r.StderrLines.Should().ContainSingle().Which.Should().StartWith("yamnet: error: Edge TPU is not supported");
    }
}
