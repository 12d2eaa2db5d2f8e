using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>Inputs that used to run away (rates of a few Hz, endless files, huge queues) or abort the process.</summary>
public class LimitsTests
{
    /// <summary>A 16-bit mono WAV of <paramref name="samples"/> whose header declares <paramref name="rate"/> Hz.</summary>
    internal static byte[] Wav(uint rate, int samples, ushort channels = 1)
    {
        var b = new byte[44 + samples * 2];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(b, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)(b.Length - 8));
        Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(b, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(22), channels);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(24), rate);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(28), unchecked(rate * 2u * channels));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(32), (ushort)(2 * channels));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(34), 16);
        Encoding.ASCII.GetBytes("data").CopyTo(b, 36);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(40), (uint)(samples * 2));
        var rng = new Random(5);
        for (int i = 0; i < samples; i++) BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(44 + 2 * i), (short)rng.Next(-8000, 8000));
        return b;
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(7u)]
    [InlineData(999u)]
    public async Task A_sample_rate_of_a_few_hertz_is_refused_instead_of_upsampled_for_hours(uint rate)
    {
        string dir = TestAssets.NewTempDir("lowrate");
        string path = Path.Combine(dir, "low.wav");
        File.WriteAllBytes(path, Wav(rate, 100_000));
        var r = await CliRunner.RunAsync(["classify", path, TestAssets.Meow, "--format", "json", "--windows", "all"], dir);
        r.ExitCode.Should().Be(1, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().Contain($"declares a sample rate of {rate} Hz").And.Contain("1000..");
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        doc.RootElement.GetProperty("files").GetArrayLength().Should().Be(2, "the batch goes on after the bad file");
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(uint.MaxValue)]
    [InlineData(5u)]
    public async Task Listen_refuses_a_wav_header_rate_of_0_or_2_to_the_32_minus_1(uint rate)
    {
        string dir = TestAssets.NewTempDir("listenrate");
        File.WriteAllBytes(Path.Combine(dir, "in.wav"), Wav(rate, 32000));
        var r = await CliRunner.RunAsync(["listen", "--input", "in.wav"], dir);
        r.ExitCode.Should().Be(1, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().Be($"yamnet: error: in.wav: the WAV header declares a sample rate of {rate} Hz; supported is 1000..1000000 Hz");
    }

    [Fact]
    public async Task Labels_from_dev_zero_fail_fast_with_one_line()
    {
        var sw = Stopwatch.StartNew();
        var r = await CliRunner.RunAsync(["classify", TestAssets.Meow, "--labels", "/dev/zero"], null);
        r.ExitCode.Should().Be(2, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().StartWith("yamnet: error: /dev/zero: ");
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "16 MiB are read at most, not 8 GiB");
    }

    [Fact]
    public async Task Listen_queue_and_jobs_are_bounded()
    {
        var queue = await CliRunner.RunAsync(["listen", "--input", "-", "--queue", "100000"], null);
        queue.ExitCode.Should().Be(2);
        queue.StderrLines.Should().ContainSingle().Which.Should().Be("yamnet: error: --queue must be 1..1024 windows.");
        var huge = await CliRunner.RunAsync(["listen", "--input", "-", "--queue", int.MaxValue.ToString()], null);
        huge.ExitCode.Should().Be(2);

        var jobs = await CliRunner.RunAsync(["classify", TestAssets.Meow, "--jobs", "100000"], null);
        jobs.ExitCode.Should().Be(0, jobs.ToString());
        jobs.StderrLines.Should().ContainSingle().Which.Should().Be(
            $"yamnet: warning: --jobs 100000 is more than 4 x the {Environment.ProcessorCount} cores; using {4 * Environment.ProcessorCount}");
    }

    [Fact]
    public async Task A_model_whose_label_zip_is_cut_says_so()
    {
        string dir = TestAssets.NewTempDir("cutzip");
        string model = Path.Combine(dir, "cut.tflite");
        File.WriteAllBytes(model, ModelSurgery.WithCutLabelZip(File.ReadAllBytes(TestAssets.YamnetModel), 200));
        var r = await CliRunner.RunAsync(["classify", "--model", model, TestAssets.Meow, "--no-model-check"], dir);
        r.ExitCode.Should().Be(2, r.ToString());
        r.StderrLines.Should().ContainSingle().Which.Should().Contain("label zip appended to the model is damaged or cut").And.Contain("--labels");
        var withCsv = await CliRunner.RunAsync(["classify", "--model", model, TestAssets.Meow, "--labels", TestAssets.ClassMap, "--no-model-check"], dir);
        withCsv.ExitCode.Should().Be(0, withCsv.ToString());
    }

    [Theory]
    [InlineData("2>&-")]
    [InlineData("2>/dev/full")]
    public async Task An_unwritable_stderr_never_aborts(string redirect)
    {
        foreach (var (args, exit) in new[] { ("classify /nonexistent.wav", 1), ("classify --maxResults 0 x.wav", 2), ($"classify '{TestAssets.Meow}'", 0) })
        {
            var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add($"'{CliRunner.DotnetHost}' exec '{CliRunner.YamnetDll}' {args} {redirect}; echo \"rc=$?\"");
            using var p = Process.Start(psi)!;
            string stdout = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            stdout.Should().EndWith($"rc={exit}\n", $"{args} {redirect}");
        }
    }
}
