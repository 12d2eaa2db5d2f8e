using Yamnet.Isolation;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>
/// Unknown models are tried in a child process first: the YAMNet graph with its output re-pointed at
/// an intermediate tensor (25, the log-mel patch) and its label zip removed is well-formed, yet
/// segfaults TFLite 2.9's XNNPACK Invoke. It must cost one line and exit 2, not the process.
/// </summary>
public class ModelTrialTests
{
    internal static string IntermediateOutputModel(string dir, int tensor = 25)
    {
        string path = Path.Combine(dir, $"yamnet-tensor{tensor}.tflite");
        File.WriteAllBytes(path, ModelSurgery.WithoutLabelZip(ModelSurgery.PointOutputAt(File.ReadAllBytes(TestAssets.YamnetModel), tensor)));
        return path;
    }

    private static Dictionary<string, string?> Cache(string dir) => new() { ["XDG_CACHE_HOME"] = Path.Combine(dir, "cache") };

    [Fact]
    public async Task A_model_that_crashes_xnnpack_is_one_line_and_exit_2_and_builtin_kernels_run_it()
    {
        string dir = TestAssets.NewTempDir("trial");
        string model = IntermediateOutputModel(dir);
        var crash = await CliRunner.RunAsync(["classify", "--model", model, "--wavFile", TestAssets.Meow], dir, Cache(dir));
        crash.ExitCode.Should().Be(2, crash.ToString());
        crash.StdoutBytes.Should().BeEmpty();
        crash.StderrLines.Should().ContainSingle().Which.Should()
            .Be($"yamnet: error: {model}: this model crashes TFLite 2.9's XNNPACK delegate (SIGSEGV in a trial run in a child process); try --delegate none");

        var again = await CliRunner.RunAsync(["classify", "--model", model, "--wavFile", TestAssets.Meow, "--verbose"], dir, Cache(dir));
        again.ExitCode.Should().Be(2);
        again.StderrLines.Should().Contain("yamnet: model trial (cached): crashed: SIGSEGV");
        Directory.GetFiles(Path.Combine(dir, "cache", "yamnet", "model-trials")).Select(Path.GetFileName)
            .Should().ContainSingle(f => f!.StartsWith(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(model)))));

        var builtin = await CliRunner.RunAsync(["classify", "--model", model, "--wavFile", TestAssets.Meow, "--delegate", "none", "--format", "json"], dir, Cache(dir));
        builtin.ExitCode.Should().Be(0, builtin.ToString());
    }

    [Fact]
    public void Library_api_tries_unknown_models_in_a_child_and_caches_by_sha256()
    {
        string dir = TestAssets.NewTempDir("trial-api");
        var options = new ModelTrialOptions
        {
            ChildCommand = [CliRunner.DotnetHost, "exec", CliRunner.YamnetDll, "__model-trial"],
            CacheDirectory = Path.Combine(dir, "cache"),
        };
        var known = ModelTrial.Check(TestAssets.YamnetModel, options);
        known.Kind.Should().Be(ModelVerdictKind.Known);
        Directory.Exists(options.CacheDirectory).Should().BeFalse("a known model needs no trial");

        string model = IntermediateOutputModel(dir);
        var first = ModelTrial.Check(model, options);
        first.Should().Match<ModelVerdict>(v => v.Kind == ModelVerdictKind.Crashed && v.Detail == "SIGSEGV" && !v.FromCache && !v.IsSafe);
        var second = ModelTrial.Check(model, options);
        second.Should().Be(first with { FromCache = true });

        var none = ModelTrial.Check(model, options with { Interpreter = new TfLiteInterpreterOptions { Delegate = DelegateKind.None } });
        none.Kind.Should().Be(ModelVerdictKind.Ran, "the verdict is per delegate setting");

        string garbage = Path.Combine(dir, "garbage.tflite");
        File.WriteAllBytes(garbage, new byte[1000]);
        var refused = ModelTrial.Check(garbage, options);
        refused.Kind.Should().Be(ModelVerdictKind.Refused);
        refused.IsSafe.Should().BeTrue("an ordinary error shows in-process as well, safely");
        refused.Detail.Should().NotBeEmpty();
    }
}
