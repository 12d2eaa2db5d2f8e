using System.Buffers.Binary;
using System.Text;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Live;
using Yamnet.Native.Tests.Audio;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Live;

/// <summary>A non-seekable stream that returns at most a few bytes per read, like a pipe under load.</summary>
internal sealed class TricklePipe(byte[] data, int seed = 7, int maxRead = 5) : ForwardOnlyStream
{
    private readonly Random _random = new(seed);
    private int _position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(Math.Min(count, _random.Next(1, maxRead + 1)), data.Length - _position);
        if (n <= 0) return 0;
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }
}

public class PcmStreamSourceTests
{
    private static byte[] Le16(ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        return bytes;
    }

    private static byte[] Wav(ReadOnlySpan<short> samples, int rate, int channels, int bits = 16, int tag = 1, uint? dataSize = null, bool listChunk = false, byte[]? trailer = null)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        byte[] data = Le16(samples);
        w.Write("RIFF"u8);
        w.Write(0u);
        w.Write("WAVE"u8);
        if (listChunk)
        {
            w.Write("LIST"u8);
            w.Write(5u); // odd: followed by a pad byte
            w.Write("INFOx"u8);
            w.Write((byte)0);
        }
        w.Write("fmt "u8);
        w.Write(16u);
        w.Write((ushort)tag);
        w.Write((ushort)channels);
        w.Write((uint)rate);
        w.Write((uint)(rate * channels * bits / 8));
        w.Write((ushort)(channels * bits / 8));
        w.Write((ushort)bits);
        w.Write("data"u8);
        w.Write(dataSize ?? (uint)data.Length);
        w.Write(data);
        if (trailer is not null) w.Write(trailer);
        return ms.ToArray();
    }

    private static float[] ReadAll(ILiveSource source)
    {
        var all = new List<float>();
        var buffer = new float[333];
        int n;
        while ((n = source.Read(buffer, CancellationToken.None)) > 0) all.AddRange(buffer.AsSpan(0, n));
        return all.ToArray();
    }

    private static short[] Noise(int n, int seed = 3)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (short)r.Next(short.MinValue, short.MaxValue + 1)).ToArray();
    }

    [Fact]
    public void Raw_mono_arrives_as_int16_over_32768_even_when_reads_split_samples()
    {
        var samples = Noise(5001).Append(short.MinValue).Append(short.MaxValue).ToArray();
        using var source = new PcmStreamSource(new TricklePipe(Le16(samples)), "stdin", 16000, 16000, 1);
        ReadAll(source).Should().Equal(samples.Select(s => s / 32768f));
        source.Container.Should().Be("raw");
        source.IsResampling.Should().BeFalse();
    }

    [Fact]
    public void A_compressed_body_is_refused_instead_of_read_as_raw_noise()
    {
        using var variants = new AudioVariantsFixture();
        byte[] flac = File.ReadAllBytes(variants.Flac);
        using var source = new PcmStreamSource(new TricklePipe(flac, maxRead: 4096), "stdin", 16000, 16000, 1);
        FluentActions.Invoking(() => ReadAll(source)).Should().Throw<UnsupportedAudioFormatException>().WithMessage("stdin: the stream is FLAC, not raw*");
        foreach (var magic in new[] { "OggS", "ID3\u0004", "FORM", ".snd" })
        {
            byte[] body = [.. Encoding.ASCII.GetBytes(magic), .. new byte[4000]];
            using var other = new PcmStreamSource(new MemoryStream(body), "pipe", 16000, 16000, 1);
            FluentActions.Invoking(() => ReadAll(other)).Should().Throw<UnsupportedAudioFormatException>().WithMessage("pipe: the stream is *", magic);
        }
    }

    [Fact]
    public void A_trailing_half_sample_is_dropped()
    {
        byte[] bytes = [.. Le16([100, -200, 300]), 0x7f];
        using var source = new PcmStreamSource(new TricklePipe(bytes), "stdin", 16000, 16000, 1);
        ReadAll(source).Should().Equal(100 / 32768f, -200 / 32768f, 300 / 32768f);
    }

    [Fact]
    public void Raw_stereo_is_averaged_per_frame()
    {
        short[] interleaved = [1000, 3000, -32768, 32767, 5, 5];
        using var source = new PcmStreamSource(new TricklePipe(Le16(interleaved)), "stdin", 16000, 16000, 2);
        ReadAll(source).Should().Equal((1000 / 32768f + 3000 / 32768f) / 2f, (-32768 / 32768f + 32767 / 32768f) / 2f, 5 / 32768f);
    }

    [Fact]
    public void Wav_header_is_parsed_from_the_stream_skipping_chunks_and_stopping_at_the_data_size()
    {
        var samples = Noise(4000);
        byte[] wav = Wav(samples, 16000, 1, listChunk: true, trailer: Encoding.ASCII.GetBytes("LIST\u0004\0\0\0junk"));
        using var source = new PcmStreamSource(new TricklePipe(wav, maxRead: 3), "stdin", 16000, 44100, 2);
        ReadAll(source).Should().Equal(samples.Select(s => s / 32768f), "the header wins over the raw settings, and the trailer is not audio");
        source.Container.Should().Be("wav");
        source.SourceRate.Should().Be(16000);
        source.SourceChannels.Should().Be(1);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(uint.MaxValue)]
    public void A_streaming_wav_without_a_size_is_read_to_the_end(uint size)
    {
        var samples = Noise(3000);
        using var source = new PcmStreamSource(new TricklePipe(Wav(samples, 16000, 1, dataSize: size)), "stdin", 16000, 16000, 1);
        ReadAll(source).Should().Equal(samples.Select(s => s / 32768f));
    }

    [Fact]
    public void A_48k_stream_is_resampled_to_the_model_rate()
    {
        var tone = Enumerable.Range(0, 48000).Select(i => (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 48000.0))).ToArray();
        using var source = new PcmStreamSource(new TricklePipe(Wav(tone, 48000, 1), maxRead: 4096), "stdin", 16000, 16000, 1);
        var output = ReadAll(source);
        source.IsResampling.Should().BeTrue();
        output.Length.Should().BeInRange(16000 - 2, 16000 + 2);
        // The same samples through the file path's resampler.
        var expected = Resampler.ResampleAll(tone.Select(s => s / 32768f).ToArray(), 48000, 16000);
        output.Should().Equal(expected);
    }

    [Fact]
    public void Non_16_bit_wav_is_refused_with_one_line()
    {
        using var source = new PcmStreamSource(new MemoryStream(Wav(Noise(10), 16000, 1, bits: 24)), "stdin", 16000, 16000, 1);
        var act = () => source.Read(new float[10], CancellationToken.None);
        act.Should().Throw<UnsupportedAudioFormatException>().Which.Message.Should().Contain("16-bit PCM").And.NotContain("\n");
    }

    [Fact]
    public void A_stream_cut_inside_the_header_is_a_truncation()
    {
        byte[] wav = Wav(Noise(10), 16000, 1)[..30];
        using var source = new PcmStreamSource(new MemoryStream(wav), "stdin", 16000, 16000, 1);
        var act = () => source.Read(new float[10], CancellationToken.None);
        act.Should().Throw<TruncatedAudioException>();
    }

    [Fact]
    public void Empty_input_is_simply_the_end()
    {
        using var source = new PcmStreamSource(new MemoryStream([]), "stdin", 16000, 16000, 1);
        source.Read(new float[10], CancellationToken.None).Should().Be(0);
    }

    /// <summary>meow through the whole live path (trickling pipe → WAV parser → pump → session) matches the golden windows.</summary>
    [Fact]
    public void Meow_piped_live_matches_every_golden_window()
    {
        using var classifier = AudioClassifier.Load(TestAssets.YamnetModel);
        using var session = classifier.CreateSession();
        byte[] wav = File.ReadAllBytes(TestAssets.Meow);
        using var source = new PcmStreamSource(new TricklePipe(wav, maxRead: 4000), "stdin", classifier.SampleRate, 16000, 1);
        var golden = GoldenRow.Read(TestAssets.Golden("meow_16k.xnnpack-qs8.hop7800.top5.csv"));
        var top = new ScoredClass[5];
        var rows = new List<GoldenRow>();
        int hop = FileAnalyzer.HopFor(classifier.WindowLength, 0.5);

        var stats = LiveClassifier.Run(session, source, hop, (in AudioWindow window, ReadOnlySpan<float> scores) =>
        {
            int n = TopK.Select(scores, top);
            for (int r = 0; r < n; r++) rows.Add(new GoldenRow(window.Index, window.StartSample, r, top[r].Index, top[r].Score));
        }, new LivePumpOptions { Overflow = OverflowPolicy.Block });

        int samples = AudioTestData.ReadPcm16Wav(TestAssets.Meow).Samples.Length;
        stats.WindowsConsumed.Should().Be((int)WindowFramer.WindowCount(samples, classifier.WindowLength, hop));
        stats.WindowsDropped.Should().Be(0);
        rows.Should().Equal(golden);
    }

    [Fact]
    public void A_missing_alsa_device_is_one_clear_exception()
    {
        var act = () => AlsaCaptureSource.Open("yamnet-test-no-such-device", 16000);
        var e = act.Should().Throw<AudioDeviceException>().Which;
        e.Message.Should().Contain("yamnet-test-no-such-device").And.NotContain("\n");
        e.NativeError.Should().BeNegative();
    }
}
