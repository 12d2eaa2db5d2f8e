using System.Globalization;
using Yamnet.Audio;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>Writes meow_16k.wav in other rates, depths, channel counts and codecs once for the class.</summary>
public sealed class MeowVariantsFixture : IDisposable
{
    public MeowVariantsFixture()
    {
        Dir = TestAssets.NewTempDir("cli-variants");
        float[] f = Pcm16Wav.Read(TestAssets.Meow);
        short[] pcm = BatchTests.ReadPcm16(TestAssets.Meow);
        float[] at44 = Resampler.ResampleAll(f, 16000, 44100);
        var stereo = new float[at44.Length * 2];
        for (int i = 0; i < at44.Length; i++) stereo[2 * i] = stereo[2 * i + 1] = at44[i]; // identical channels: the downmix keeps the level

        Add("flac", "meow.flac", AudioContainer.Flac, AudioEncoding.Pcm16, 16000, 1, pcm);
        Add("stereo44k-pcm16", "stereo44k.wav", AudioContainer.Wav, AudioEncoding.Pcm16, 44100, 2, stereo);
        Add("float48k", "float48k.wav", AudioContainer.Wav, AudioEncoding.Float32, 48000, 1, Resampler.ResampleAll(f, 16000, 48000));
        Add("pcm24-22k", "pcm24_22k.wav", AudioContainer.Wav, AudioEncoding.Pcm24, 22050, 1, Resampler.ResampleAll(f, 16000, 22050));
        Add("pcm16-8k", "pcm16_8k.wav", AudioContainer.Wav, AudioEncoding.Pcm16, 8000, 1, Resampler.ResampleAll(f, 16000, 8000));
        Add("vorbis", "meow.ogg", AudioContainer.Ogg, AudioEncoding.Vorbis, 16000, 1, f);
        Add("opus", "meow.opus", AudioContainer.Ogg, AudioEncoding.Opus, 16000, 1, f);
        Add("mp3", "meow.mp3", AudioContainer.Mpeg, AudioEncoding.Mp3, 16000, 1, f);
        Add("mp3-44k", "meow44k.mp3", AudioContainer.Mpeg, AudioEncoding.Mp3, 44100, 1, at44);
    }

    public string Dir { get; }

    /// <summary>Variant name → path, or null when this libsndfile cannot write it.</summary>
    public Dictionary<string, string?> Files { get; } = [];

    private void Add(string name, string file, AudioContainer c, AudioEncoding e, int rate, int channels, float[] data)
    {
        string path = Path.Combine(Dir, file);
        Files[name] = AudioFileWriter.IsSupported(c, e, rate, channels) ? Write(() => AudioFileWriter.WriteFile(path, data, rate, channels, c, e), path) : null;
    }

    private void Add(string name, string file, AudioContainer c, AudioEncoding e, int rate, int channels, short[] data)
    {
        string path = Path.Combine(Dir, file);
        Files[name] = AudioFileWriter.IsSupported(c, e, rate, channels) ? Write(() => AudioFileWriter.WriteFile(path, data, rate, channels, c, e), path) : null;
    }

    private static string Write(Action write, string path)
    {
        write();
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

public class FormatVariantTests(MeowVariantsFixture variants) : IClassFixture<MeowVariantsFixture>
{
    [Fact]
    public void Flac_is_bit_exact_with_the_original()
    {
        var r = CliRunner.Run("classify", "--wavFile", variants.Files["flac"]!);
        r.ExitCode.Should().Be(0, r.ToString());
        r.StdoutBytes.Should().Equal(File.ReadAllBytes(TestAssets.Golden("meow_16k.seed-output.txt")));
    }

    // Opus (libopus at libsndfile's default bitrate, 16 kHz) codes the clip more coarsely than Vorbis:
    // measured, Cat and "Domestic animals, pets" tie for first at 0.66796875 and the index tie-break
    // puts 68 first. The property kept is that Cat's score is still the top score (tied) and within
    // two jumps (0.15) of the original.
    [Fact]
    public void Opus_keeps_cat_at_the_top_score()
    {
        string? path = variants.Files["opus"];
        path.Should().NotBeNull("Debian's libsndfile writes Ogg/Opus");
        var r = CliRunner.Run("classify", "--wavFile", path!, "--format", "csv");
        r.ExitCode.Should().Be(0, r.ToString());
        var rows = CliCsvRow.Parse(r.Stdout);
        var cat = rows.Single(x => x.Index == 76);
        cat.Score.Should().Be(rows.Max(x => x.Score));
        ((double)cat.Score).Should().BeApproximately(0.80078125, 0.15);
    }

    // Tolerances on Cat's first-window score (0.80078125 on the original). The default path runs
    // XNNPACK's signed-int8 kernels, and the score moves in coarse jumps when the input changes even
    // slightly: the same untouched clip scores 0.73828125 on the builtin kernels, one jump of 0.0625
    // below XNNPACK (see the goldens). So:
    // - lossless rate/depth/channel conversions (16k -> 44.1/48/22.05k through libsoxr and back,
    //   identical stereo channels) change the samples only at the ~1e-5 level, which is still enough to
    //   cross one jump: tolerance 0.1 (one jump, not two);
    // - 8 kHz drops the 4-8 kHz band and Vorbis adds coding noise: 0.15 (two jumps);
    // - MP3 adds the encoder's priming delay (~1105 samples, ~70 ms at 16 kHz, not trimmed by
    //   libsndfile) on top of coding noise and a low-pass at the default quality, so the first window
    //   sees different audio: 0.25 (measured 0.586 at 16 kHz).
    // In every case Cat must stay on top, the property a user sees.
    [Theory]
    [InlineData("stereo44k-pcm16", 0.1)]
    [InlineData("float48k", 0.1)]
    [InlineData("pcm24-22k", 0.1)]
    [InlineData("pcm16-8k", 0.15)]
    [InlineData("vorbis", 0.15)]
    [InlineData("mp3", 0.25)]
    [InlineData("mp3-44k", 0.25)]
    public void Converted_variants_keep_cat_on_top(string name, double tolerance)
    {
        string? path = variants.Files[name];
        if (path is null)
        {
            // This libsndfile has no encoder for it (e.g. MP3 without LAME): nothing to classify.
            AudioFileWriter.IsSupported(AudioContainer.Mpeg, AudioEncoding.Mp3, 16000, 1).Should().BeFalse();
            return;
        }
        var r = CliRunner.Run("classify", "--wavFile", path);
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stderr.Should().BeEmpty();
        string first = r.StdoutLines[1];
        first.Should().StartWith("  Category: Cat, index: 76, score: ", r.Stdout);
        double score = double.Parse(first.Split("score: ")[1], CultureInfo.InvariantCulture);
        score.Should().BeApproximately(0.80078125, tolerance, $"{name}:\n{r.Stdout}");
        Console.WriteLine($"variant {name}: Cat {score}");
    }
}
