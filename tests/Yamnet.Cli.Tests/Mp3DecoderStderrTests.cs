using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>
/// libmpg123 writes its own lines to stderr on a damaged MP3 ("[src/libmpg123/layer3.c:...] error:
/// dequantization failed!", "Note: Trying to resync..."). The CLI captures native stderr around MP3
/// decoding: the user sees at most our own one line per file, never a foreign one.
/// </summary>
public class Mp3DecoderStderrTests
{
    /// <summary>A 20-second tone encoded to MP3 by ffmpeg (nothing committed), then damaged two ways.</summary>
    private static (string Resync, string Dequantization) DamagedMp3s(string dir)
    {
        string clean = Path.Combine(dir, "clean.mp3");
        var encode = CliRunner.RunAsync(["-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=20", "-ar", "16000", "-ac", "1",
            "-c:a", "libmp3lame", "-b:a", "64k", clean], dir, null, "ffmpeg").GetAwaiter().GetResult();
        encode.ExitCode.Should().Be(0, encode.ToString());
        byte[] bytes = File.ReadAllBytes(clean);
        var random = new Random(7);
        byte[] noise = (byte[])bytes.Clone();
        foreach (int start in new[] { 20000, 60000, 100000 })
            for (int i = start; i < Math.Min(start + 1024, noise.Length); i++) noise[i] = (byte)random.Next(256);
        byte[] frames = (byte[])bytes.Clone();
        for (int i = 5000; i + 4 <= frames.Length; i += 2000) new byte[] { 0xff, 0xfb, 0xff, 0xff }.CopyTo(frames, i);
        string resync = Path.Combine(dir, "noise.mp3"), dequantization = Path.Combine(dir, "frames.mp3");
        File.WriteAllBytes(resync, noise);
        File.WriteAllBytes(dequantization, frames);
        return (resync, dequantization);
    }

    [Theory]
    [InlineData("classify")]
    [InlineData("detect")]
    [InlineData("embed")]
    public async Task A_damaged_mp3_gives_no_foreign_lines_on_stderr(string command)
    {
        string dir = TestAssets.NewTempDir("mp3-stderr");
        var (resync, dequantization) = DamagedMp3s(dir);
        string[] args = command == "classify" ? ["classify", "--windows", "all", "--format", "csv", resync, dequantization] : [command, resync, dequantization];

        var r = await CliRunner.RunAsync(args, dir);

        r.StderrLines.Should().OnlyContain(l => l.StartsWith("yamnet: "), r.ToString());
        r.StderrLines.Where(l => l.Contains("noise.mp3")).Should().HaveCountLessThanOrEqualTo(1);
        r.StderrLines.Where(l => l.Contains("frames.mp3")).Should().HaveCountLessThanOrEqualTo(1);
        r.Stderr.Should().NotContain("mpg123").And.NotContain("Note: ");
        // The file cut by the damage says so in its one line, with what the decoder reported.
        r.StderrLines.Should().Contain(l => l.Contains("noise.mp3") && l.Contains("ended early") && l.Contains("the MP3 decoder reported"));
        // The file the decoder resynced through decodes to its end, but frames were skipped: one warning says so.
        r.StderrLines.Should().Contain(l => l.StartsWith("yamnet: warning: ") && l.Contains("frames.mp3") && l.Contains("skipped damaged data"));
    }
}
