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
    // The crash is TFLite 2.9's (its XNNPACK delegate); 2.19 runs this model. On 2.19 the tests check
    // that the trial lets it run; ./test.sh's second pass runs them on 2.9 as well.
    private static bool CrashingRuntime => TfLiteRuntime.Version.StartsWith("2.9.", StringComparison.Ordinal);

    internal static string IntermediateOutputModel(string dir, int tensor = 25)
    {
        string path = Path.Combine(dir, $"yamnet-tensor{tensor}.tflite");
        File.WriteAllBytes(path, ModelSurgery.WithoutLabelZip(ModelSurgery.PointOutputAt(File.ReadAllBytes(TestAssets.YamnetModel), tensor)));
        return path;
    }

    private static string Rid => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    private static string CheckoutProbe => Path.Combine(TestAssets.RepoRoot, "native", "out", Rid, "tflite-probe");

    private static Dictionary<string, string?> Cache(string dir) => new() { ["XDG_CACHE_HOME"] = Path.Combine(dir, "cache") };

    [Fact]
    public async Task A_model_that_crashes_xnnpack_is_one_line_and_exit_2_and_builtin_kernels_run_it()
    {
        string dir = TestAssets.NewTempDir("trial");
        string model = IntermediateOutputModel(dir);
        var crash = await CliRunner.RunAsync(["classify", "--model", model, "--wavFile", TestAssets.Meow], dir, Cache(dir));
        if (!CrashingRuntime)
        {
            crash.ExitCode.Should().Be(0, $"TFLite {TfLiteRuntime.Version} runs this model: {crash}");
            return;
        }
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
        if (CrashingRuntime)
            first.Should().Match<ModelVerdict>(v => v.Kind == ModelVerdictKind.Crashed && v.Detail == "SIGSEGV" && !v.FromCache && !v.IsSafe);
        else
            first.Should().Match<ModelVerdict>(v => v.Kind == ModelVerdictKind.Ran && !v.FromCache && v.IsSafe);
        first.Source.Should().Be("dotnet", "only the re-executed host was given");
        var second = ModelTrial.Check(model, options);
        second.Should().Be(first with { FromCache = true, Source = null });

        var none = ModelTrial.Check(model, options with { Interpreter = new TfLiteInterpreterOptions { Delegate = DelegateKind.None } });
        none.Kind.Should().Be(ModelVerdictKind.Ran, "the verdict is per delegate setting");

        string garbage = Path.Combine(dir, "garbage.tflite");
        File.WriteAllBytes(garbage, new byte[1000]);
        var refused = ModelTrial.Check(garbage, options);
        refused.Kind.Should().Be(ModelVerdictKind.Refused);
        refused.IsSafe.Should().BeTrue("an ordinary error shows in-process as well, safely");
        refused.Detail.Should().NotBeEmpty();
        refused.Source.Should().Be("validation", "a model our validator refuses is never handed to a child");
    }

    [Fact]
    public void The_c_probe_gives_the_same_verdicts_as_the_re_executed_host()
    {
        string dir = TestAssets.NewTempDir("trial-probe");
        ModelTrialOptions.BundledProbePath().Should().Be(CheckoutProbe, "the test binaries are below the checkout, whose native/out holds the probe");
        string model = IntermediateOutputModel(dir);
        var host = new ModelTrialOptions { ChildCommand = [CliRunner.DotnetHost, "exec", CliRunner.YamnetDll, "__model-trial"], CacheDirectory = null };
        var probe = new ModelTrialOptions { ProbePath = CheckoutProbe, CacheDirectory = null };
        foreach (var delegateKind in new[] { DelegateKind.XnnPack, DelegateKind.None })
        {
            var interpreter = new TfLiteInterpreterOptions { Delegate = delegateKind };
            var byProbe = ModelTrial.Check(model, probe with { Interpreter = interpreter });
            var byHost = ModelTrial.Check(model, host with { Interpreter = interpreter });
            byProbe.Source.Should().Be("tflite-probe");
            byHost.Source.Should().Be("dotnet");
            byProbe.Should().Be(byHost with { Source = "tflite-probe" }, $"the probe runs the model like the host does ({delegateKind}, TFLite {TfLiteRuntime.Version})");
            byProbe.Kind.Should().Be(CrashingRuntime && delegateKind == DelegateKind.XnnPack ? ModelVerdictKind.Crashed : ModelVerdictKind.Ran);
        }
    }

    [Fact]
    public void A_probe_that_cannot_do_the_trial_or_loads_another_library_is_passed_over()
    {
        string dir = TestAssets.NewTempDir("trial-fallback");
        string model = IntermediateOutputModel(dir);
        string old = FakeProbe(dir, "old", "echo \"tflite-probe: error: option --trial needs a value\" >&2; exit 2");
        string other = FakeProbe(dir, "other", "printf 'library\\t%s\\t/nonexistent/libtensorflowlite_c.so\\n' 2.9.0; exit 0");
        var host = new ModelTrialOptions { ChildCommand = [CliRunner.DotnetHost, "exec", CliRunner.YamnetDll, "__model-trial"], CacheDirectory = null };

        ModelTrial.Check(model, host with { ProbePath = old }).Source.Should().Be("dotnet", "an old probe without --trial is passed over");
        ModelTrial.Check(model, host with { ProbePath = other }).Source.Should().Be("dotnet", "a probe on another TFLite library says nothing about this one");
        var alone = () => ModelTrial.Check(model, new ModelTrialOptions { ProbePath = old, CacheDirectory = null });
        alone.Should().Throw<InvalidOperationException>().WithMessage("*does not know the trial*");
        var alone2 = () => ModelTrial.Check(model, new ModelTrialOptions { ProbePath = other, CacheDirectory = null });
        alone2.Should().Throw<InvalidOperationException>().WithMessage("*not this process's*");
    }

    private static string FakeProbe(string dir, string name, string body)
    {
        string path = Path.Combine(dir, name + "-probe");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public async Task A_verdict_cached_under_one_TFLite_version_is_not_used_under_another()
    {
        var interpreter = TfLiteInterpreterOptions.Default;
        string sha = new string('a', 64);
        ModelTrial.CacheKey(sha, "2.9.0", interpreter).Should().NotBe(ModelTrial.CacheKey(sha, "2.19.0", interpreter));
        ModelTrial.CacheKey(sha, "2.9.0", interpreter).Should().NotBe(ModelTrial.CacheKey(sha, "2.9.0", interpreter with { Delegate = DelegateKind.None }));
        ModelTrial.CacheKey(sha, "2.9.0", interpreter).Should().NotBe(ModelTrial.CacheKey(sha, "2.9.0", interpreter with { Threads = 2 }));
        ModelTrial.CacheKey(sha, "2.9.0", interpreter).Should().NotBe(ModelTrial.CacheKey(sha, "2.9.0", interpreter with { XnnPackFlags = XnnPackFlags.None }));

        // End to end on the two real libraries: 2.9's XNNPACK crashes on this model, 2.19's runs it.
        string lib29 = Path.Combine(TestAssets.RepoRoot, "native", "out", "runtimes", "2.9.0", Rid, "libtensorflowlite_c.so");
        string? lib219 = await Which("source");
        File.Exists(lib29).Should().BeTrue("scripts/setup.sh test provisions the 2.9.0 prebuilt");
        if (lib219 is null) return; // TFLite 2.19 not built here (native/build-tflite.sh --from-source): only the key is checked
        string dir = TestAssets.NewTempDir("trial-version");
        string model = IntermediateOutputModel(dir);
        string modelSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(model)));
        async Task<CliResult> On(string lib)
        {
            var env = Cache(dir);
            env["YAMNET_TFLITE_LIB"] = lib;
            return await CliRunner.RunAsync(["classify", "--model", model, "--wavFile", TestAssets.Meow, "--verbose"], dir, env);
        }

        var first29 = await On(lib29);
        first29.ExitCode.Should().Be(2, first29.ToString());
        first29.StderrLines.Should().Contain("yamnet: model trial (child process tflite-probe): crashed: SIGSEGV");
        var first219 = await On(lib219);
        first219.ExitCode.Should().Be(0, "2.19 must not use 2.9's cached crash: " + first219);
        first219.StderrLines.Should().Contain("yamnet: model trial (child process tflite-probe): ran");
        (await On(lib29)).StderrLines.Should().Contain("yamnet: model trial (cached): crashed: SIGSEGV");
        (await On(lib219)).StderrLines.Should().Contain("yamnet: model trial (cached): ran");
        // Where 2.9's XNNPACK runs padded models (AMD Zen), the trial ran the padded bytes and its key says so.
        var doctor29 = await CliRunner.RunAsync(["doctor"], dir, new Dictionary<string, string?> { ["YAMNET_TFLITE_LIB"] = lib29 });
        string tag29 = doctor29.Stdout.Contains("XNNPACK float padding: on") ? "2.9.0-kpad" : "2.9.0";
        doctor29.Stdout.Should().Contain("XNNPACK float padding: ", doctor29.ToString());
        Directory.GetFiles(Path.Combine(dir, "cache", "yamnet", "model-trials")).Select(Path.GetFileName).Should()
            .BeEquivalentTo([ModelTrial.CacheKey(modelSha, tag29, interpreter), ModelTrial.CacheKey(modelSha, "2.19.0", interpreter)]);
    }

    /// <summary>The library native/build-tflite.sh --which names for this rid and kind (prebuilt or source), or null.</summary>
    private static async Task<string?> Which(string kind)
    {
        var r = await CliRunner.RunAsync([Path.Combine(TestAssets.RepoRoot, "native", "build-tflite.sh"), "--which", Rid, kind], TestAssets.RepoRoot, program: "bash");
        string path = r.Stdout.Split('\t')[0].Trim();
        return r.ExitCode == 0 && File.Exists(path) ? path : null;
    }
}
