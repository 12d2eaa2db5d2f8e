using Yamnet.Audio;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Audio;

public sealed class AudioReaderTests(AudioVariantsFixture variants) : IClassFixture<AudioVariantsFixture>
{
    private static float[] Expected => AudioTestData.Meow.Value.Float;

    [Theory]
    [InlineData("meow_16k.wav", 107698)]
    [InlineData("speech.wav", 68360)]
    [InlineData("two_heads.wav", 15600)]
    public void SharedClips_DecodeBitExactly_AsInt16Over32768(string clip, int samples)
    {
        string path = TestAssets.Audio(clip);
        var (_, _, pcm) = AudioTestData.ReadPcm16Wav(path);
        using var reader = AudioReader.Open(path, 16000);

        reader.IsResampling.Should().BeFalse("16 kHz mono input must take the pass-through path");
        reader.SourceFormat.Frames.Should().Be(samples);
        float[] decoded = reader.ReadAll();

        decoded.Length.Should().Be(samples);
        for (int i = 0; i < pcm.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(decoded[i]) != BitConverter.SingleToInt32Bits(pcm[i] / 32768f))
                Assert.Fail($"{clip}: sample {i} decoded as {decoded[i]:R}, expected {pcm[i]}/32768 = {pcm[i] / 32768f:R}");
        }
    }

    [Fact]
    public void SourceFormat_DescribesTheWav()
    {
        using var reader = AudioReader.Open(TestAssets.Meow, 16000);
        var f = reader.SourceFormat;
        f.Container.Should().StartWith("WAV");
        f.Codec.Should().Be("Signed 16 bit PCM");
        f.Extension.Should().Be("wav");
        f.SampleRate.Should().Be(16000);
        f.Channels.Should().Be(1);
        f.Frames.Should().Be(107698);
        f.IsPcm16.Should().BeTrue();
        f.Duration.TotalSeconds.Should().BeApproximately(6.731125, 1e-6);
        reader.SampleRate.Should().Be(16000);
    }

    public static TheoryData<string, string, string> LosslessVariants => new()
    {
        { nameof(AudioVariantsFixture.Flac), "FLAC", "Signed 16 bit PCM" },
        { nameof(AudioVariantsFixture.WavEx), "WAVEX", "Signed 16 bit PCM" },
        { nameof(AudioVariantsFixture.Aiff), "AIFF", "Signed 16 bit PCM" },
        { nameof(AudioVariantsFixture.Au), "AU", "Signed 16 bit PCM" },
        { nameof(AudioVariantsFixture.Pcm24At16k), "WAV", "Signed 24 bit PCM" },
        { nameof(AudioVariantsFixture.Pcm32At16k), "WAV", "Signed 32 bit PCM" },
        { nameof(AudioVariantsFixture.FloatAt16k), "WAV", "32 bit float" },
    };

    [Theory]
    [MemberData(nameof(LosslessVariants))]
    public void LosslessVariants_DecodeBitExactly(string variant, string container, string codec)
    {
        string path = Variant(variant)!;
        using var reader = AudioReader.Open(path, 16000);
        reader.SourceFormat.Container.Should().StartWith(container);
        reader.SourceFormat.Codec.Should().Be(codec);
        reader.IsResampling.Should().BeFalse();

        float[] decoded = reader.ReadAll();
        decoded.Should().Equal(Expected, (a, b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b),
            $"{variant} holds the same int16 values, which must decode to exactly int16 / 32768");
    }

    [Fact]
    public void Pcm8_DecodesCloseToTheOriginal()
    {
        float[] decoded = AudioTestData.ReadAll(variants.PcmU8);
        decoded.Length.Should().Be(Expected.Length);
        AudioTestData.Correlation(decoded, Expected).Should().BeGreaterThan(0.99);
        decoded.Zip(Expected, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThanOrEqualTo(1f / 128 + 1e-6f);
    }

    [Fact]
    public void Stereo_IsDownmixedToTheMeanOfChannels_Exactly()
    {
        // At the target rate no resampler runs, so the mono sample is exactly (L + R) / 2.
        string path = Path.Combine(variants.Dir, "stereo16k.wav");
        var (pcm, _) = AudioTestData.Meow.Value;
        var inter = new short[pcm.Length * 2];
        for (int i = 0; i < pcm.Length; i++) { inter[2 * i] = pcm[i]; inter[2 * i + 1] = (short)(-pcm[i] / 3); }
        AudioFileWriter.WriteFile(path, inter, 16000, 2, AudioContainer.Wav, AudioEncoding.Pcm16);

        using var reader = AudioReader.Open(path, 16000);
        reader.SourceFormat.Channels.Should().Be(2);
        float[] mono = reader.ReadAll();
        mono.Length.Should().Be(pcm.Length);
        for (int i = 0; i < pcm.Length; i++)
            mono[i].Should().Be((inter[2 * i] / 32768f + inter[2 * i + 1] / 32768f) / 2f);
    }

    [Fact]
    public void SixChannels_AreAveraged()
    {
        string path = Path.Combine(variants.Dir, "six.wav");
        const int frames = 5000;
        var data = new float[frames * 6];
        for (int i = 0; i < frames; i++)
            for (int c = 0; c < 6; c++) data[i * 6 + c] = (c - 2) * 0.05f * MathF.Sin(i * 0.01f);
        AudioFileWriter.WriteFile(path, data, 16000, 6, AudioContainer.WavEx, AudioEncoding.Float32);

        float[] mono = AudioTestData.ReadAll(path);
        mono.Length.Should().Be(frames);
        for (int i = 0; i < frames; i++)
        {
            float sum = 0;
            for (int c = 0; c < 6; c++) sum += data[i * 6 + c];
            mono[i].Should().Be(sum / 6);
        }
    }

    public static TheoryData<string, int, int> ResampledVariants => new()
    {
        { nameof(AudioVariantsFixture.Stereo44k), 44100, 2 },
        { nameof(AudioVariantsFixture.Float48k), 48000, 1 },
        { nameof(AudioVariantsFixture.Pcm24At22k), 22050, 1 },
        { nameof(AudioVariantsFixture.At8k), 8000, 1 },
    };

    [Theory]
    [MemberData(nameof(ResampledVariants))]
    public void ResampledVariants_KeepTheSignal(string variant, int rate, int channels)
    {
        using var reader = AudioReader.Open(Variant(variant)!, 16000);
        reader.SourceFormat.SampleRate.Should().Be(rate);
        reader.SourceFormat.Channels.Should().Be(channels);
        reader.IsResampling.Should().BeTrue();
        float[] decoded = reader.ReadAll();

        decoded.Length.Should().BeCloseTo(Expected.Length, 2, "soxr keeps the duration");
        decoded.Length.Should().BeCloseTo((int)reader.EstimatedSampleCount, 1);
        // 8 kHz removes everything above 4 kHz, so compare with the original band-limited the same way.
        float[] reference = rate < 16000 ? Resampler.ResampleAll(Resampler.ResampleAll(Expected, 16000, rate), rate, 16000) : Expected;
        double r = AudioTestData.Correlation(decoded, reference);
        r.Should().BeGreaterThan(0.99, $"{variant} must still be the same sound (r = {r:F5})");
        if (channels == 2)
        {
            // Left = clip, right = clip / 2: the mean carries 3/4 of the level.
            double gain = Rms(decoded) / Rms(Expected);
            gain.Should().BeApproximately(0.75, 0.01);
        }
    }

    [Theory]
    [InlineData(nameof(AudioVariantsFixture.Vorbis), "OGG", "Vorbis")]
    [InlineData(nameof(AudioVariantsFixture.Opus), "OGG", "Opus")]
    [InlineData(nameof(AudioVariantsFixture.Mp3), "MPEG", "MPEG Layer III")]
    [InlineData(nameof(AudioVariantsFixture.Mp3At44k), "MPEG", "MPEG Layer III")]
    public void LossyVariants_DecodeAndKeepTheSignal(string variant, string container, string codec)
    {
        string? path = Variant(variant);
        Assert.True(path is not null, $"Debian's libsndfile could not write {variant} here (sf_format_check failed)");
        using var reader = AudioReader.Open(path!, 16000);
        reader.SourceFormat.Container.Should().StartWith(container);
        reader.SourceFormat.Codec.Should().Contain(codec);
        float[] decoded = reader.ReadAll();

        decoded.Length.Should().BeCloseTo(Expected.Length, 2400, "encoders may pad to a frame boundary");
        var (r, lag) = AudioTestData.BestCorrelation(Expected, decoded, maxLag: 2400, step: 4);
        r.Should().BeGreaterThan(0.95, $"{variant} must still be the same sound (best r = {r:F4} at lag {lag})");
    }

    [Fact]
    public void MemoryStream_DecodesBitExactly()
    {
        using var ms = new MemoryStream(File.ReadAllBytes(TestAssets.Meow));
        using (var reader = AudioReader.Open(ms, 16000, leaveOpen: true))
        {
            reader.ReadAll().Should().Equal(Expected);
            reader.SourceFormat.Frames.Should().Be(Expected.Length);
        }
        ms.CanRead.Should().BeTrue("leaveOpen keeps the caller's stream");
    }

    [Fact]
    public void MemoryStream_IsDisposedUnlessLeftOpen()
    {
        var ms = new MemoryStream(File.ReadAllBytes(TestAssets.Meow));
        using (AudioReader.Open(ms, 16000)) { }
        ms.CanRead.Should().BeFalse();
    }

    [Fact]
    public void Stream_StartsAtItsCurrentPosition()
    {
        byte[] wav = File.ReadAllBytes(TestAssets.Meow);
        var ms = new MemoryStream();
        ms.Write(new byte[1000]);
        ms.Write(wav);
        ms.Position = 1000;
        using var reader = AudioReader.Open(ms, 16000);
        reader.ReadAll().Should().Equal(Expected);
    }

    [Fact]
    public void NonSeekableStream_DecodesBitExactly()
    {
        var pipe = new NonSeekableStream(File.OpenRead(TestAssets.Meow));
        using (var reader = AudioReader.Open(pipe, 16000))
        {
            reader.ReadAll().Should().Equal(Expected);
        }
        pipe.Disposed.Should().BeTrue();
    }

    [Fact]
    public void NonSeekableStream_Flac_ResampledStereo_AndMp3_Decode()
    {
        foreach (string? path in new[] { variants.Flac, variants.Stereo44k, variants.Mp3 })
        {
            if (path is null) continue;
            using var reader = AudioReader.Open(new NonSeekableStream(File.OpenRead(path)), 16000);
            float[] fromPipe = reader.ReadAll();
            fromPipe.Should().Equal(AudioTestData.ReadAll(path), $"{Path.GetFileName(path)} through a pipe equals the file");
        }
    }

    [Fact]
    public void FileStream_ReportsItsPathInFormatErrors()
    {
        string path = Path.Combine(variants.Dir, "notes.txt");
        File.WriteAllText(path, "this is not audio\n");
        using var fs = File.OpenRead(path);
        var act = () => AudioReader.Open(fs, 16000);
        act.Should().Throw<AudioFormatException>().Which.Message.Should().Contain(path);
    }

    [Fact]
    public void Read_InSmallAndOddChunks_GivesTheSameSamples()
    {
        foreach (string path in new[] { variants.Pcm16, variants.Stereo44k })
        {
            float[] whole = AudioTestData.ReadAll(path);
            using var reader = AudioReader.Open(path, 16000);
            var parts = new List<float>();
            var buf = new float[997];
            int size = 1, n;
            while ((n = reader.Read(buf.AsSpan(0, size))) > 0)
            {
                parts.AddRange(buf.AsSpan(0, n));
                size = (size * 7 + 37) % 997 + 1;
            }
            reader.Read(buf).Should().Be(0, "the end stays the end");
            parts.Should().Equal(whole);
        }
    }

    [Fact]
    public void Reader_ResamplesUpToOtherTargetRates()
    {
        using var reader = AudioReader.Open(TestAssets.Meow, 48000);
        reader.SampleRate.Should().Be(48000);
        float[] up = reader.ReadAll();
        up.Length.Should().BeCloseTo(Expected.Length * 3, 3);
        float[] back = Resampler.ResampleAll(up, 48000, 16000);
        AudioTestData.Correlation(back, Expected).Should().BeGreaterThan(0.999);
    }

    [Fact]
    public void Framer_OverReader_GivesTheReadmeWindowCount()
    {
        using var reader = AudioReader.Open(TestAssets.Meow, 16000);
        var framer = new WindowFramer(reader, 15600, 7800);
        var window = new float[15600];
        var starts = new List<long>();
        while (framer.TryWriteNext(window, out var w)) starts.Add(w.StartSample);
        starts.Count.Should().Be((int)WindowFramer.WindowCount(107698, 15600, 7800)).And.Be(13);
        starts.Should().Equal(Enumerable.Range(0, 13).Select(k => k * 7800L));
        window.AsSpan(107698 - 12 * 7800).ToArray().Should().OnlyContain(x => x == 0f, "the last window is zero-padded");
    }

    [Fact]
    public void Open_RejectsInvalidTargetRate()
    {
        FluentActions.Invoking(() => AudioReader.Open(TestAssets.Meow, 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => AudioReader.Open(new MemoryStream(), -5)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Read_AfterDispose_Throws()
    {
        var reader = AudioReader.Open(TestAssets.Meow, 16000);
        reader.Dispose();
        reader.Dispose();
        FluentActions.Invoking(() => reader.Read(new float[10])).Should().Throw<ObjectDisposedException>();
    }

    private string? Variant(string name) => (string?)typeof(AudioVariantsFixture).GetProperty(name)!.GetValue(variants);

    private static double Rms(float[] x) => Math.Sqrt(x.Sum(v => (double)v * v) / x.Length);
}
