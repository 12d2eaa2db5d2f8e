using Yamnet.Audio;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

public class BatchTests
{
    private static string[] Headers(CliResult r) => r.StdoutLines.Where(l => l.StartsWith("== ")).Select(l => l[3..^3]).ToArray();

    [Fact]
    public void Outputs_follow_input_order_with_two_jobs_and_bad_inputs_are_skipped()
    {
        string dir = TestAssets.NewTempDir("batch");
        string Copy(string src, string name)
        {
            string p = Path.Combine(dir, name);
            File.Copy(src, p);
            return p;
        }
        // Long and short clips interleaved so that completion order differs from input order.
        var inputs = new[]
        {
            Copy(TestAssets.Meow, "z1.wav"),
            Copy(TestAssets.Audio("two_heads.wav"), "a2.wav"),
            Copy(TestAssets.Audio("speech.wav"), "m3.wav"),
            Copy(TestAssets.Audio("two_heads.wav"), "b4.wav"),
            Copy(TestAssets.Meow, "c5.wav"),
        };
        string textFile = Path.Combine(dir, "x.wav");
        File.WriteAllText(textFile, "this is text, not audio\n");
        string missing = Path.Combine(dir, "missing.wav");

        var args = new List<string> { "classify", "--jobs", "2", "--windows", "all" };
        args.AddRange([inputs[0], inputs[1], textFile, inputs[2], missing, inputs[3]]);
        args.AddRange(["--wavFile", inputs[4]]);
        var r = CliRunner.Run([.. args]);

        r.ExitCode.Should().Be(1, r.ToString());
        // --wavFile values come first, then the positional arguments, in order.
        Headers(r).Should().Equal(inputs[4], inputs[0], inputs[1], inputs[2], inputs[3]);
        r.StderrLines.Should().HaveCount(2);
        r.StderrLines[0].Should().StartWith($"yamnet: {textFile}: ");
        r.StderrLines[1].Should().Be($"yamnet: {missing}: file not found");

        // Each file's block equals its single-file run.
        var single = CliRunner.Run("classify", "--windows", "all", "--wavFile", inputs[2]);
        string block = r.Stdout.Split($"== {inputs[2]} ==\n")[1].Split("\n\n")[0] + "\n";
        block.Should().Be(single.Stdout);
    }

    [Fact]
    public void All_good_inputs_exit_0()
    {
        var r = CliRunner.Run("classify", "--jobs", "2", TestAssets.Meow, TestAssets.Audio("speech.wav"));
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stderr.Should().BeEmpty("stderr is redirected, so no progress bar");
        Headers(r).Should().Equal(TestAssets.Meow, TestAssets.Audio("speech.wav"));
    }

    [Fact]
    public async Task Directories_expand_recursively_and_globs_match()
    {
        string dir = TestAssets.NewTempDir("expand");
        Directory.CreateDirectory(Path.Combine(dir, "sub", "deep"));
        File.Copy(TestAssets.Meow, Path.Combine(dir, "sub", "a.wav"));
        File.Copy(TestAssets.Audio("two_heads.wav"), Path.Combine(dir, "b.wav"));
        short[] pcm = ReadPcm16(TestAssets.Audio("speech.wav"));
        AudioFileWriter.WriteFile(Path.Combine(dir, "sub", "deep", "c.flac"), pcm, 16000, 1, AudioContainer.Flac, AudioEncoding.Pcm16);
        File.WriteAllText(Path.Combine(dir, "sub", "notes.txt"), "not audio");

        var wholeDir = CliRunner.RunAsync("classify", dir, "--format", "csv", "--maxResults", "1");
        var flacGlob = CliRunner.RunAsync(["classify", "sub/**/*.flac", "--format", "csv", "--maxResults", "1"], dir);
        var wavGlob = CliRunner.RunAsync(["classify", "*.wav", "**/*.wav", "--format", "csv", "--maxResults", "1"], dir);
        var nothing = CliRunner.RunAsync(["classify", "*.mp3", "--format", "csv"], dir);

        var all = await wholeDir;
        all.ExitCode.Should().Be(0, all.ToString());
        CliCsvRow.Parse(all.Stdout).Select(x => x.File).Should().Equal(
            Path.Combine(dir, "b.wav"), Path.Combine(dir, "sub", "a.wav"), Path.Combine(dir, "sub", "deep", "c.flac"));

        var flac = await flacGlob;
        flac.ExitCode.Should().Be(0, flac.ToString());
        CliCsvRow.Parse(flac.Stdout).Should().ContainSingle().Which.Should().Match<CliCsvRow>(x => x.File == "sub/deep/c.flac" && x.Index == 0);

        var wav = await wavGlob;
        wav.ExitCode.Should().Be(0, wav.ToString());
        CliCsvRow.Parse(wav.Stdout).Select(x => x.File).Should().Equal("b.wav", "sub/a.wav"); // b.wav matched twice, printed once

        var none = await nothing;
        none.ExitCode.Should().Be(1);
        none.StderrLines.Should().ContainSingle().Which.Should().Be("yamnet: *.mp3: no file matches the pattern");
    }

    internal static short[] ReadPcm16(string path) => Pcm16Wav.Read(path).Select(f => (short)Math.Round(f * 32768f)).ToArray();
}
