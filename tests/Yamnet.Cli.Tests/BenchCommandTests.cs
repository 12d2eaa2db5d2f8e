using System.Text.Json;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>
/// The bench command runs end to end and prints well-formed figures. No figure is judged against a
/// timing here: benchmarks are not tests (docs/PERFORMANCE.md holds the measured numbers).
/// </summary>
public class BenchCommandTests
{
    [Fact]
    public async Task Bench_compares_with_the_native_probe_and_reports_every_section_as_json()
    {
        var r = await CliRunner.RunAsync(["bench", "--model", TestAssets.YamnetModel, "--wavFile", TestAssets.Meow,
            "--seconds", "0.3", "--minutes", "0.25", "--jobs", "2", "--numThreads", "2", "--rounds", "0", "--startup-runs", "2", "--format", "json"]);
        r.ExitCode.Should().Be(0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        root.GetProperty("machine").GetString().Should().Contain("cores");
        var latency = root.GetProperty("latency_ms").EnumerateArray().ToList();
        latency.Select(l => l.GetProperty("threads").GetInt32()).Should().Equal(1, 2);
        foreach (var l in latency)
        {
            l.GetProperty("csharp_p50").GetDouble().Should().BePositive();
            l.GetProperty("native_p50").GetDouble().Should().BePositive();
            l.GetProperty("csharp_p95").GetDouble().Should().BeGreaterThanOrEqualTo(l.GetProperty("csharp_p50").GetDouble());
            l.GetProperty("ratio_p50").GetDouble().Should().BeApproximately(
                l.GetProperty("csharp_p50").GetDouble() / l.GetProperty("native_p50").GetDouble(), 1e-9);
        }
        var throughput = root.GetProperty("throughput").EnumerateArray().ToList();
        throughput.Select(t => t.GetProperty("config").GetString()).Should().Contain(["1 worker(s) x 1 thread(s)", "2 worker(s) x 1 thread(s)"]);
        // 15 s of audio at hop 7800: max(1, ceil((240000 - 15600) / 7800) + 1) = 30 windows, in every configuration.
        throughput.Should().AllSatisfy(t => t.GetProperty("windows").GetInt32().Should().Be(30));
        throughput.Should().AllSatisfy(t => t.GetProperty("realtime_factor").GetDouble().Should().BePositive());
        root.GetProperty("audio_seconds").GetDouble().Should().Be(15);
        // A difference of two runs' process-wide counts over 20 windows: another thread's odd allocation
        // moves it a little either way (CI read -1.0 once: 20 bytes). The pipeline's own 0 B/window is held
        // by AnalysisAllocationTests; here only that the figure is a sane number.
        root.GetProperty("managed_bytes_per_window").GetDouble().Should().BeInRange(-64, 1024);

        // The seed command's start-up against the probe's, as ratios of the figures printed beside them.
        var startup = root.GetProperty("startup");
        startup.GetProperty("runs").GetInt32().Should().Be(2);
        startup.GetProperty("build").GetString().Should().BeOneOf("JIT", "NativeAOT");
        startup.GetProperty("wall_ratio").GetDouble().Should().BeApproximately(
            startup.GetProperty("cli_wall_ms_median").GetDouble() / startup.GetProperty("probe_wall_ms_median").GetDouble(), 1e-9);
        startup.GetProperty("probe_wall_ms_median").GetDouble().Should().BePositive();
        // Two fast probe runs can take under one 10 ms CPU tick in all: the CPU ratio is then null, not an
        // infinity that JSON cannot hold (the bench used to fail with exit 2 then, now and again).
        var cpuRatio = startup.GetProperty("cpu_ratio");
        if (startup.GetProperty("probe_cpu_ms_mean").GetDouble() == 0) cpuRatio.ValueKind.Should().Be(JsonValueKind.Null);
        else cpuRatio.GetDouble().Should().BeApproximately(
            startup.GetProperty("cli_cpu_ms_mean").GetDouble() / startup.GetProperty("probe_cpu_ms_mean").GetDouble(), 1e-9);

        // Event detection over the same 30 windows: its own time as a fraction of the classify run.
        var events = root.GetProperty("event_overhead");
        events.GetProperty("windows").GetInt32().Should().Be(30);
        events.GetProperty("detector_seconds").GetDouble().Should().BePositive();
        events.GetProperty("detector_fraction").GetDouble().Should().BeApproximately(
            events.GetProperty("detector_seconds").GetDouble() / events.GetProperty("classify_wall_seconds").GetDouble(), 1e-9);
        events.GetProperty("managed_bytes_per_window").GetDouble().Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task Bench_reports_the_pools_scaling_as_a_fraction_of_the_machines_own()
    {
        var r = await CliRunner.RunAsync(["bench", "--model", TestAssets.YamnetModel, "--wavFile", TestAssets.Meow,
            "--seconds", "0.1", "--minutes", "0.1", "--jobs", "2", "--rounds", "3", "--startup-runs", "0", "--format", "json"]);
        r.ExitCode.Should().Be(0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var scaling = doc.RootElement.GetProperty("scaling").EnumerateArray().ToList();
        scaling.Select(s => s.GetProperty("variant").GetString()).Should().Equal("classify text", "classify csv", "classify json", "embed jsonl", "detect text");
        static double Median(IEnumerable<double> xs) => xs.OrderBy(x => x).ElementAt(1); // of three
        foreach (var s in scaling)
        {
            s.GetProperty("n").GetInt32().Should().Be(2);
            s.GetProperty("rounds").GetInt32().Should().Be(3);
            double h = 2 * s.GetProperty("probe_1_seconds").GetDouble() / s.GetProperty("probe_n_seconds").GetDouble();
            double p = s.GetProperty("csharp_1_seconds").GetDouble() / s.GetProperty("csharp_n_seconds").GetDouble();
            s.GetProperty("hardware_scaling").GetDouble().Should().BeApproximately(h, 1e-9);
            s.GetProperty("pool_scaling").GetDouble().Should().BeApproximately(p, 1e-9);
            s.GetProperty("fraction_of_hardware").GetDouble().Should().BeApproximately(p / h, 1e-9);
            // Every estimate recomputed from the rounds' own timings.
            var rounds = s.GetProperty("per_round").EnumerateArray()
                .Select(x => (C1: x.GetProperty("probe_1_seconds").GetDouble(), Cn: x.GetProperty("probe_n_seconds").GetDouble(),
                              S1: x.GetProperty("csharp_1_seconds").GetDouble(), Sn: x.GetProperty("csharp_n_seconds").GetDouble())).ToList();
            rounds.Should().HaveCount(3);
            rounds.Should().OnlyContain(x => x.C1 > 0 && x.Cn > 0 && x.S1 > 0 && x.Sn > 0);
            var perRound = rounds.Select(x => (x.S1 / x.Sn) / (2 * x.C1 / x.Cn)).ToList();
            s.GetProperty("fraction_of_hardware").GetDouble().Should().BeApproximately(Median(perRound), 1e-9, "the median round's P/H");
            s.GetProperty("fraction_min").GetDouble().Should().BeApproximately(perRound.Min(), 1e-9);
            s.GetProperty("fraction_max").GetDouble().Should().BeApproximately(perRound.Max(), 1e-9);
            s.GetProperty("fraction_of_fastest_runs").GetDouble().Should().BeApproximately(
                (rounds.Min(x => x.S1) / rounds.Min(x => x.Sn)) / (2 * rounds.Min(x => x.C1) / rounds.Min(x => x.Cn)), 1e-9);
            s.GetProperty("fraction_of_median_times").GetDouble().Should().BeApproximately(
                (Median(rounds.Select(x => x.S1)) / Median(rounds.Select(x => x.Sn))) / (2 * Median(rounds.Select(x => x.C1)) / Median(rounds.Select(x => x.Cn))), 1e-9);
        }
        doc.RootElement.GetProperty("load_average").GetString().Should().NotBeNullOrEmpty();
        doc.RootElement.TryGetProperty("startup", out _).Should().BeFalse("--startup-runs 0 skips it");
    }

    [Theory]
    [InlineData("--rounds", "-1")]
    [InlineData("--startup-runs", "-1")]
    [InlineData("--seconds", "0")]
    [InlineData("--minutes", "-1")]
    [InlineData("--jobs", "0")]
    [InlineData("--format", "xml")]
    [InlineData("--probe", "/nonexistent/tflite-probe")]
    public async Task Bad_bench_options_are_usage_errors(string option, string value)
    {
        var r = await CliRunner.RunAsync(["bench", "--model", TestAssets.YamnetModel, option, value]);
        r.ExitCode.Should().Be(2, r.ToString());
        r.StderrLines.Should().ContainSingle();
        r.Stdout.Should().BeEmpty();
    }
}
