using System.Globalization;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

public class OversubscriptionTests
{
    [Fact]
    public async Task More_busy_threads_than_cores_warns_once_and_changes_no_result()
    {
        string jobs = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        var plain = await CliRunner.RunAsync(["classify", "--wavFile", TestAssets.Meow, "--windows", "all", "--format", "csv", "--jobs", jobs]);
        var crowded = await CliRunner.RunAsync(["classify", "--wavFile", TestAssets.Meow, "--windows", "all", "--format", "csv", "--jobs", jobs, "--numThreads", "2"]);
        plain.ExitCode.Should().Be(0, plain.ToString());
        plain.Stderr.Should().BeEmpty();
        crowded.ExitCode.Should().Be(0, crowded.ToString());
        crowded.StderrLines.Should().ContainSingle().Which.Should().Contain("exceeds the").And.Contain("--numThreads 1");
        crowded.Stdout.Should().Be(plain.Stdout);
    }
}
