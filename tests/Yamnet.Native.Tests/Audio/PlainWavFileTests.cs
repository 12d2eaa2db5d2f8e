using Yamnet.Audio;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Audio;

/// <summary>
/// A plain 16-bit PCM WAV file is decoded in managed code instead of by libsndfile (start-up, issue
/// 16). That is only right if nothing can tell the difference: the same samples bit for bit and the
/// same <see cref="AudioFormatInfo"/>; every other file must still go to libsndfile.
/// </summary>
public sealed class PlainWavFileTests(AudioVariantsFixture variants) : IClassFixture<AudioVariantsFixture>
{
    public static TheoryData<string> PlainFiles => ["meow_16k.wav", "speech.wav", "two_heads.wav", "pcm16", "stereo44k", "pcm16_8k"];

    [Theory]
    [MemberData(nameof(PlainFiles))]
    public void PlainPcm16_DecodesExactlyAsLibsndfile(string name)
    {
        string path = PathOf(name);
        using var managed = AudioReader.OpenPlainWav(path);
        managed.Should().NotBeNull("{0} is a plain 16-bit PCM WAV", name);
        using var libsndfile = SndFileDecoder.Open(path);

        managed!.Format.Should().Be(libsndfile.Format);
        float[] a = ReadAll(managed), b = ReadAll(libsndfile);
        a.Length.Should().Be(b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
                Assert.Fail($"{name}: sample {i} is {a[i]:R} managed, {b[i]:R} from libsndfile");
        }
    }

    [Theory]
    [InlineData("wavex")]
    [InlineData("pcm24")]
    [InlineData("pcm32")]
    [InlineData("float")]
    [InlineData("pcmu8")]
    [InlineData("flac")]
    public void EveryOtherEncoding_StaysWithLibsndfile(string name)
    {
        AudioReader.OpenPlainWav(PathOf(name)).Should().BeNull();
        using var reader = AudioReader.Open(PathOf(name), 16000);
        reader.IsStreaming.Should().BeFalse();
    }

    [Fact]
    public void DataChunkLongerThanTheFile_StaysWithLibsndfile()
    {
        // A file cut short (a copy interrupted, a capture killed): libsndfile's own handling and messages apply.
        string cut = Path.Combine(variants.Dir, "cut.wav");
        byte[] whole = File.ReadAllBytes(variants.Pcm16);
        File.WriteAllBytes(cut, whole.AsSpan(0, whole.Length - 1000).ToArray());

        AudioReader.OpenPlainWav(cut).Should().BeNull();
    }

    [Fact]
    public void NotAWavAtAll_StaysWithLibsndfile()
    {
        string text = Path.Combine(variants.Dir, "not-audio.wav");
        File.WriteAllText(text, "RIFF but not really a wave file");

        AudioReader.OpenPlainWav(text).Should().BeNull();
        AudioReader.OpenPlainWav(Path.Combine(variants.Dir, "missing.wav")).Should().BeNull();
    }

    [Theory]
    [InlineData(7)]
    [InlineData(999)]
    public void RateOutsideLibsndfilesLimits_StaysWithLibsndfile(int rate)
    {
        // libsndfile's path refuses it with its own message; the managed path must not upsample it for hours.
        string low = Path.Combine(variants.Dir, $"rate{rate}.wav");
        byte[] wav = File.ReadAllBytes(variants.Pcm16);
        BitConverter.GetBytes(rate).CopyTo(wav, 24);       // fmt chunk: sample rate
        BitConverter.GetBytes(rate * 2).CopyTo(wav, 28);   // byte rate (mono, 16 bit)
        File.WriteAllBytes(low, wav);

        AudioReader.OpenPlainWav(low).Should().BeNull();
    }

    private string PathOf(string name) => name switch
    {
        "pcm16" => variants.Pcm16,
        "stereo44k" => variants.Stereo44k,
        "pcm16_8k" => variants.At8k,
        "wavex" => variants.WavEx,
        "pcm24" => variants.Pcm24At16k,
        "pcm32" => variants.Pcm32At16k,
        "float" => variants.FloatAt16k,
        "pcmu8" => variants.PcmU8,
        "flac" => variants.Flac,
        _ => TestAssets.Audio(name),
    };

    private static float[] ReadAll(IFrameDecoder decoder)
    {
        var all = new List<float>();
        var chunk = new float[4096 * decoder.Channels];
        int n;
        while ((n = decoder.ReadFrames(chunk)) > 0) all.AddRange(chunk.AsSpan(0, n * decoder.Channels));
        return [.. all];
    }
}
