using System.Text.Json;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>
/// <c>yamnet bench --isolation</c> runs end to end and reports every figure (model-trial children and
/// cache, resumable skip check). Benchmarks are not tests: no figure is judged against a timing.
/// </summary>
public class BenchIsolationTests
{
    [Fact]
    public async Task Bench_isolation_reports_the_trial_and_skip_check_figures()
    {
        var r = await CliRunner.RunAsync(["bench", "--isolation", "--isolation-inputs", "20", "--format", "json", "--model", TestAssets.YamnetModel, "--wavFile", TestAssets.Meow], null);

        r.ExitCode.Should().Be(0, r.ToString());
        using var doc = JsonDocument.Parse(r.StdoutBytes);
        var trial = doc.RootElement.GetProperty("model_trial");
        foreach (string name in new[] { "probe_min_ms", "probe_median_ms", "reexec_min_ms", "reexec_median_ms", "cached_mean_ms" })
            trial.GetProperty(name).GetDouble().Should().BePositive(name + " (the checkout's probe is found)");
        trial.GetProperty("probe_min_ms").GetDouble().Should().BeLessThanOrEqualTo(trial.GetProperty("probe_median_ms").GetDouble());
        var resume = doc.RootElement.GetProperty("resume");
        resume.GetProperty("inputs").GetInt32().Should().Be(20);
        foreach (string name in new[] { "library_us_per_input", "sidecar_us_per_input", "cli_one_input_ms", "cli_all_ms" })
            resume.GetProperty(name).GetDouble().Should().BePositive(name);
    }
}
