using System.Buffers.Binary;
using Yamnet.Audio;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Audio;

/// <summary>Every kind of bad input ends in a typed exception with a one-line message naming the input.</summary>
public sealed class AudioBadInputTests : IDisposable
{
    private readonly string _dir = TestAssets.NewTempDir("audio-bad");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string File(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    private static T OpenFails<T>(string path) where T : Exception
    {
        var ex = FluentActions.Invoking(() => { using var r = AudioReader.Open(path, 16000); r.ReadAll(); })
            .Should().Throw<T>().Which;
        ex.Message.Should().Contain(path).And.NotContain("\n");
        return ex;
    }

    private static short[] Tone(int n) => Enumerable.Range(0, n).Select(i => (short)(8000 * Math.Sin(i * 0.05))).ToArray();

    [Fact]
    public void MissingFile_IsFileNotFound()
    {
        string path = Path.Combine(_dir, "nope.wav");
        OpenFails<FileNotFoundException>(path).FileName.Should().Be(path);
    }

    [Fact]
    public void Directory_IsRejected() => OpenFails<AudioFormatException>(_dir);

    [Fact]
    public void EmptyFile_IsRejected() => OpenFails<AudioFormatException>(File("empty.wav", []));

    [Fact]
    public void TextFile_IsNotAudio()
    {
        var ex = OpenFails<AudioFormatException>(File("readme.wav", "Hello, this is plainly a text file.\nLine two.\n"u8.ToArray()));
        ex.NativeMessage.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void RandomBytes_AreNotAudio()
    {
        var bytes = new byte[64 * 1024];
        new Random(1234).NextBytes(bytes);
        OpenFails<AudioFormatException>(File("noise.bin", bytes));
    }

    [Fact]
    public void TruncatedHeader_IsRejected()
    {
        byte[] wav = System.IO.File.ReadAllBytes(TestAssets.Meow);
        OpenFails<AudioFormatException>(File("cut20.wav", wav[..20]));
        OpenFails<AudioFormatException>(File("cut40.wav", wav[..40]));
    }

    [Fact]
    public void HeaderOnly_ZeroFrames_IsRejected()
    {
        var ex = OpenFails<AudioFormatException>(File("zero.wav", AudioTestData.BuildWav(1, 1, 16000, 16, [])));
        ex.Message.Should().Contain("no audio frames");
    }

    [Fact]
    public void HeaderClaimingAbsurdDataSize_DecodesOnlyTheDataPresent()
    {
        // libsndfile clamps a data chunk that runs past the end of the file (streamed WAVs carry
        // placeholder sizes like this), so the decode is exactly the samples that exist.
        short[] tone = Tone(1000);
        string path = File("huge.wav", AudioTestData.BuildWav(1, 1, 16000, 16, AudioTestData.Pcm16Bytes(tone), claimedDataSize: 0x7FFFFF00));
        float[] decoded = AudioTestData.ReadAll(path);
        decoded.Should().Equal(AudioTestData.ToFloat(tone));
    }

    [Fact]
    public void HeaderClaimingAbsurdChunkSize_IsRejectedOrClamped_NeverCrashes()
    {
        // A fmt chunk claiming 2 GB: either rejected with a typed exception or read without crashing.
        byte[] wav = AudioTestData.BuildWav(1, 1, 16000, 16, AudioTestData.Pcm16Bytes(Tone(100)));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(16), 0x7FFFFFF0);
        string path = File("fmtsize.wav", wav);
        try
        {
            using var r = AudioReader.Open(path, 16000);
            r.ReadAll().Length.Should().BeLessThanOrEqualTo(100);
        }
        catch (AudioFormatException e)
        {
            e.Message.Should().Contain(path).And.NotContain("\n");
        }
    }

    [Fact]
    public void UnsupportedCodec_IsRejected()
    {
        // WAVE format tag 0x1234 is not a codec libsndfile knows.
        OpenFails<AudioFormatException>(File("codec.wav", AudioTestData.BuildWav(0x1234, 1, 16000, 16, AudioTestData.Pcm16Bytes(Tone(1000)))));
    }

    [Fact]
    public void ZeroHz_IsRejected()
        => OpenFails<AudioFormatException>(File("zerohz.wav", AudioTestData.BuildWav(1, 1, 0, 16, AudioTestData.Pcm16Bytes(Tone(1000)))));

    [Fact]
    public void AbsurdSampleRate_IsRejected()
        => OpenFails<AudioFormatException>(File("fast.wav", AudioTestData.BuildWav(1, 1, 2_000_000_000, 16, AudioTestData.Pcm16Bytes(Tone(1000)))));

    [Theory]
    [InlineData(0)]
    [InlineData(200)]
    [InlineData(5000)]
    public void AbsurdChannelCounts_AreRejected(short channels)
    {
        var data = AudioTestData.Pcm16Bytes(Tone(Math.Max(1, (int)channels) * 20));
        OpenFails<AudioFormatException>(File($"ch{channels}.wav", AudioTestData.BuildWav(1, channels, 16000, 16, data)));
    }

    [Fact]
    public void SixtyFiveChannels_AreUnsupported_ByManagedValidation()
    {
        // libsndfile itself accepts up to 1024 channels; the managed check stops it at 64.
        string path = File("ch65.wav", AudioTestData.BuildWav(1, 65, 16000, 16, AudioTestData.Pcm16Bytes(Tone(65 * 20))));
        OpenFails<UnsupportedAudioFormatException>(path).Message.Should().Contain("65 channels");
    }

    [Fact]
    public void FileTruncatedMidRead_IsTruncated()
    {
        string path = Path.Combine(_dir, "shrinking.wav");
        System.IO.File.Copy(TestAssets.Meow, path);
        using var reader = AudioReader.Open(path, 16000);
        reader.Read(new float[10000]).Should().Be(10000);
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) fs.SetLength(60000);
        var ex = FluentActions.Invoking(() => reader.ReadAll()).Should().Throw<TruncatedAudioException>().Which;
        ex.Message.Should().Contain(path).And.Contain("of 107698 frames").And.NotContain("\n");
    }

    [Fact]
    public void FileDeletedMidRead_StillDecodes_BecauseTheOpenDescriptorKeepsTheData()
    {
        // POSIX semantics: unlinking a file does not affect a descriptor libsndfile already holds.
        string path = Path.Combine(_dir, "vanishing.wav");
        System.IO.File.Copy(TestAssets.Meow, path);
        using var reader = AudioReader.Open(path, 16000);
        var head = new float[5000];
        reader.Read(head).Should().Be(5000);
        System.IO.File.Delete(path);
        float[] rest = reader.ReadAll();
        head.Concat(rest).Should().Equal(AudioTestData.Meow.Value.Float);
    }

    [Fact]
    public void SeekableStreamThatEndsEarly_IsTruncated()
    {
        byte[] wav = System.IO.File.ReadAllBytes(TestAssets.Meow);
        var stream = new FailingSeekableStream(wav, budget: wav.Length / 2, throwInsteadOfEnd: false);
        var ex = FluentActions.Invoking(() => { using var r = AudioReader.Open(stream, 16000); r.ReadAll(); })
            .Should().Throw<TruncatedAudioException>().Which;
        ex.Message.Should().Contain("FailingSeekableStream").And.NotContain("\n");
    }

    [Fact]
    public void SeekableStreamThatThrowsMidRead_IsTruncated_WithTheCause()
    {
        byte[] wav = System.IO.File.ReadAllBytes(TestAssets.Meow);
        var stream = new FailingSeekableStream(wav, budget: wav.Length / 2, throwInsteadOfEnd: true);
        var ex = FluentActions.Invoking(() => { using var r = AudioReader.Open(stream, 16000); r.ReadAll(); })
            .Should().Throw<TruncatedAudioException>().Which;
        ex.InnerException.Should().BeOfType<IOException>().Which.Message.Should().Be("simulated network failure");
    }

    [Fact]
    public void StreamThatThrowsDuringHeaderParsing_IsTypedToo()
    {
        byte[] wav = System.IO.File.ReadAllBytes(TestAssets.Meow);
        var stream = new FailingSeekableStream(wav, budget: 10, throwInsteadOfEnd: true);
        FluentActions.Invoking(() => AudioReader.Open(stream, 16000)).Should().Throw<AudioFormatException>();
    }

    [Fact]
    public void PipeThatFails_IsTruncated()
    {
        // A WAV pipe decodes as it arrives, so the failure surfaces when the read reaches it.
        var pipe = new NonSeekableStream(System.IO.File.OpenRead(TestAssets.Meow), failAfterBytes: 50_000);
        FluentActions.Invoking(() =>
        {
            using var reader = AudioReader.Open(pipe, 16000);
            reader.ReadAll();
        }).Should().Throw<TruncatedAudioException>().Which.InnerException.Should().BeOfType<IOException>();
    }

    [Fact]
    public void PipeCutShort_DecodesWhatArrived()
    {
        // A WAV pipe decodes as it arrives: every sample that came is delivered (the exact prefix),
        // then the body's shortfall against its declared size is reported, not passed off as the end.
        byte[] wav = System.IO.File.ReadAllBytes(TestAssets.Meow);
        var pipe = new NonSeekableStream(new MemoryStream(wav[..(44 + 2 * 30000)]));
        using var reader = AudioReader.Open(pipe, 16000);
        var got = new List<float>();
        var buffer = new float[4096];
        FluentActions.Invoking(() =>
        {
            int n;
            while ((n = reader.Read(buffer)) > 0) got.AddRange(buffer.AsSpan(0, n));
        }).Should().Throw<TruncatedAudioException>().WithMessage("*decoded 30000 of 107698 frames*");
        // The read that meets the end reports instead of returning its last partial chunk (as libsndfile's path does).
        got.Count.Should().BeGreaterThan(30000 - 4096);
        got.Should().Equal(AudioTestData.Meow.Value.Float.AsSpan(0, got.Count).ToArray());
    }

    [Fact]
    public void EmptyStreams_AreRejected()
    {
        FluentActions.Invoking(() => AudioReader.Open(new MemoryStream(), 16000)).Should().Throw<AudioFormatException>();
        FluentActions.Invoking(() => AudioReader.Open(new NonSeekableStream(new MemoryStream()), 16000)).Should().Throw<AudioFormatException>();
    }

    [Fact]
    public void RandomBytesStream_IsNotAudio()
    {
        var bytes = new byte[10000];
        new Random(7).NextBytes(bytes);
        FluentActions.Invoking(() => AudioReader.Open(new NonSeekableStream(new MemoryStream(bytes)), 16000))
            .Should().Throw<AudioFormatException>().Which.Message.Should().Contain("NonSeekableStream");
    }

    [Fact]
    public void TruncatedFlac_FailsTyped_OrDecodesAPrefix()
    {
        string flac = Path.Combine(_dir, "full.flac");
        AudioFileWriter.WriteFile(flac, AudioTestData.Meow.Value.Pcm, 16000, 1, AudioContainer.Flac, AudioEncoding.Pcm16);
        byte[] bytes = System.IO.File.ReadAllBytes(flac);
        string path = File("cut.flac", bytes[..(bytes.Length / 2)]);
        // FLAC's STREAMINFO declares the total, so a cut file reads as truncated.
        OpenFails<TruncatedAudioException>(path);
    }

    [Fact]
    public void Writer_RejectsImpossibleCombinations()
    {
        string path = Path.Combine(_dir, "x.flac");
        FluentActions.Invoking(() => AudioFileWriter.Create(path, AudioContainer.Flac, AudioEncoding.Float32, 16000))
            .Should().Throw<UnsupportedAudioFormatException>().Which.Message.Should().Contain(path);
        FluentActions.Invoking(() => AudioFileWriter.Create(path, AudioContainer.Wav, AudioEncoding.Pcm16, 0)).Should().Throw<ArgumentOutOfRangeException>();
        using var w = AudioFileWriter.Create(Path.Combine(_dir, "st.wav"), AudioContainer.Wav, AudioEncoding.Pcm16, 16000, 2);
        FluentActions.Invoking(() => w.WriteFrames(new float[3])).Should().Throw<ArgumentException>();
    }
}
