using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary><c>yamnet doctor</c> reports what the runtime really loaded, from where, and why a path failed.</summary>
public class DoctorTests
{
    [Fact]
    public void Doctor_reports_each_library_with_its_file_version_and_paths_tried_formats_cpu_and_model()
    {
        var r = CliRunner.Run("doctor", "--model", TestAssets.YamnetModel);
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stdout.Should().MatchRegex(@"TFLite \(libtensorflowlite_c\.so\): /\S+libtensorflowlite_c\.so \(version 2\.\d+");
        r.Stdout.Should().MatchRegex(@"libsndfile: /\S+libsndfile\.so\S* \(version libsndfile-1\.");
        r.Stdout.Should().MatchRegex(@"libsoxr: /\S+libsoxr\.so\S* \(version libsoxr-");
        r.Stdout.Should().Contain("tried libsndfile.so.1 [system]: loaded");
        r.Stdout.Should().MatchRegex(@"flac\s+FLAC").And.MatchRegex(@"wav\s+WAV \(Microsoft\)");
        r.Stdout.Should().Contain("XNNPACK-relevant features present:");
        r.Stdout.Should().Contain("known model: yamnet").And.Contain("loads: yes");
    }

    [Fact]
    public void Doctor_shows_the_loaders_reason_for_a_configured_library_that_cannot_load()
    {
        // The arm64 build of TFLite on an x64 host: found, but the wrong machine (dlerror's text).
        string wrongArch = Path.Combine(TestAssets.RepoRoot, "native", "out", System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture
            == System.Runtime.InteropServices.Architecture.X64 ? "linux-arm64" : "linux-x64", "libtensorflowlite_c.so");
        File.Exists(wrongArch).Should().BeTrue("native/build-tflite.sh provisions both RIDs");
        var r = CliRunner.RunAsync(["doctor", "--model", TestAssets.SecondModel], null,
            new Dictionary<string, string?> { ["YAMNET_TFLITE_LIB"] = wrongArch }).GetAwaiter().GetResult();
        r.ExitCode.Should().Be(1, r.ToString());
        r.Stdout.Should().Contain("TFLite (libtensorflowlite_c.so): NOT LOADED");
        r.Stdout.Should().MatchRegex(@"tried \S+linux-(arm|x)64/libtensorflowlite_c\.so \[environment YAMNET_TFLITE_LIB\]: wrong architecture: the file is 64-bit ELF for (aarch64|x86-64)");
        r.Stdout.Should().Contain("known model: audioset527_5360");
    }
}
