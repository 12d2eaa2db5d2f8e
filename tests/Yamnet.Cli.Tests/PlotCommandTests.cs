using SkiaSharp;
using Yamnet.Audio;
using Yamnet.Plotting;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

public class PlotCommandTests
{
    [Fact]
    public void The_png_decodes_at_the_asked_size_and_its_spectrogram_and_heatmap_are_drawn()
    {
        string dir = TestAssets.NewTempDir("plot");
        string png = Path.Combine(dir, "meow.png");
        var r = CliRunner.Run("plot", TestAssets.Meow, "-o", png, "--width", "1000", "--height", "600");
        r.ExitCode.Should().Be(0, r.ToString());
        using var bitmap = SKBitmap.Decode(png);
        bitmap.Should().NotBeNull("the file is a PNG SkiaSharp decodes");
        bitmap.Width.Should().Be(1000);
        bitmap.Height.Should().Be(600);
        r.Stderr.Should().Contain("events", "the meow clip has events, so the label track is drawn");
        var regions = SoundPictureRenderer.Regions(600, events: true);
        AssertDrawn(bitmap, regions[0], "spectrogram");
        AssertDrawn(bitmap, regions[1], "heatmap");
        Directory.GetFiles(dir).Should().Equal([png], "no temp file is left");
    }

    [Fact]
    public void A_long_recording_is_aggregated_into_the_capped_width_and_svg_is_offered()
    {
        string dir = TestAssets.NewTempDir("plot-long");
        string wav = Path.Combine(dir, "long.wav");
        // Three minutes: a chirp over noise, far more frames (18000) than the 190 columns a 400-pixel picture holds.
        var rng = new Random(5);
        var samples = new float[16000 * 180];
        for (int i = 0; i < samples.Length; i++)
        {
            double t = i / 16000.0;
            samples[i] = (float)(0.3 * Math.Sin(2 * Math.PI * (200 + 20 * t) * t) + 0.05 * (rng.NextDouble() - 0.5));
        }
        AudioFileWriter.WriteFile(wav, samples, 16000, 1, AudioContainer.Wav, AudioEncoding.Pcm16);
        string png = Path.Combine(dir, "long.png");
        var r = CliRunner.Run("plot", wav, "-o", png, "--width", "400", "--height", "300", "--no-events");
        r.ExitCode.Should().Be(0, r.ToString());
        using (var bitmap = SKBitmap.Decode(png))
        {
            bitmap.Width.Should().Be(400);
            bitmap.Height.Should().Be(300);
            var regions = SoundPictureRenderer.Regions(300, events: false);
            AssertDrawn(bitmap, regions[0], "spectrogram");
            AssertDrawn(bitmap, regions[1], "heatmap");
        }
        var columns = int.Parse(System.Text.RegularExpressions.Regex.Match(r.Stderr, @"(\d+) spectrogram columns").Groups[1].Value);
        columns.Should().BeLessThanOrEqualTo(SoundPictureRenderer.PlotWidth(400)).And.BeGreaterThan(SoundPictureRenderer.PlotWidth(400) / 2);

        string svg = Path.Combine(dir, "long.svg");
        var s = CliRunner.Run("plot", wav, "-o", svg, "--width", "400", "--height", "300");
        s.ExitCode.Should().Be(0, s.ToString());
        string text = File.ReadAllText(svg);
        text.Should().Contain("<svg").And.Contain("time (s)").And.Contain("long.wav");
    }

    [Fact]
    public void Bad_requests_are_one_line_usage_errors()
    {
        string dir = TestAssets.NewTempDir("plot-bad");
        var noOut = CliRunner.Run("plot", TestAssets.Meow);
        noOut.ExitCode.Should().Be(2);
        noOut.StderrLines.Should().ContainSingle().Which.Should().StartWith("yamnet: error: No output");
        var wide = CliRunner.Run("plot", TestAssets.Meow, "-o", Path.Combine(dir, "x.png"), "--width", "100000");
        wide.ExitCode.Should().Be(2);
        wide.Stderr.Should().Contain("--width");
        var missing = CliRunner.Run("plot", Path.Combine(dir, "nope.wav"), "-o", Path.Combine(dir, "x.png"));
        missing.ExitCode.Should().Be(1);
        missing.StderrLines.Should().ContainSingle().Which.Should().Contain("file not found");
        Directory.GetFiles(dir).Should().BeEmpty();
    }

    /// <summary>Inside the plot area of a region, the picture varies: many colours, almost no white.</summary>
    private static void AssertDrawn(SKBitmap bitmap, (int Top, int Bottom) region, string what)
    {
        int left = SoundPictureRenderer.LeftMargin + 4, right = bitmap.Width - SoundPictureRenderer.RightMargin - 4;
        // The middle half of the region's height lies inside its data area whatever the title and axis margins.
        int top = region.Top + (region.Bottom - region.Top) / 4, bottom = region.Bottom - (region.Bottom - region.Top) / 4;
        var colours = new HashSet<uint>();
        int white = 0, total = 0;
        for (int y = top; y < bottom; y += 2)
        {
            for (int x = left; x < right; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                colours.Add((uint)c);
                if (c.Red > 245 && c.Green > 245 && c.Blue > 245) white++;
                total++;
            }
        }
        colours.Count.Should().BeGreaterThan(20, $"the {what} shows data, not a flat fill");
        (white / (double)total).Should().BeLessThan(0.1, $"the {what} is not blank");
    }
}
