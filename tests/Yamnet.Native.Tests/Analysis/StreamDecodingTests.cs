using System.Diagnostics;
using Xunit.Abstractions;
using Yamnet.Analysis;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Native.Tests.Audio;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Analysis;

/// <summary>A forward-only stream decodes as it arrives: WAV without spooling, others spooled; never noise.</summary>
public class StreamDecodingTests(AudioVariantsFixture variants, AnalysisFixture f, ITestOutputHelper output) : IClassFixture<AudioVariantsFixture>, IClassFixture<AnalysisFixture>
{
    private static float[] ReadAll(AudioReader reader)
    {
        using (reader) return reader.ReadAll();
    }

    [Theory]
    [InlineData("Pcm16")]
    [InlineData("Pcm24At16k")]
    [InlineData("Pcm32At16k")]
    [InlineData("FloatAt16k")]
    [InlineData("PcmU8")]
    [InlineData("Stereo44k")]
    [InlineData("WavEx")]
    [InlineData("Flac")]
    public void A_forward_only_stream_decodes_to_the_files_samples(string variant)
    {
        string path = (string)typeof(AudioVariantsFixture).GetProperty(variant)!.GetValue(variants)!;
        var expected = ReadAll(AudioReader.Open(path, 16000));
        using var pipe = new NonSeekableStream(File.OpenRead(path));
        var reader = AudioReader.Open(pipe, 16000, leaveOpen: true);
        reader.IsStreaming.Should().Be(variant != "Flac", "WAV decodes as it arrives; FLAC is spooled for libsndfile");
        reader.SourceFormat.SampleRate.Should().Be(AudioReader.Open(path, 16000).SourceFormat.SampleRate);
        ReadAll(reader).Should().Equal(expected);
    }

    [Fact]
    public async Task The_first_window_arrives_before_the_rest_of_the_body_is_sent()
    {
        // The stream hands out the header and 1.5 windows, then blocks until the test has seen the
        // first window: a reader that buffered the whole body would never get there (the gate times out).
        byte[] wav = File.ReadAllBytes(TestAssets.Meow);
        int firstPart = 44 + 2 * 15600 * 3 / 2;
        using var firstWindowSeen = new SemaphoreSlim(0);
        await using var stream = new GatedStream(wav, firstPart, firstWindowSeen);
        var windows = new List<AudioWindow>();
        await foreach (var w in f.Classifier.ClassifyAsync(AudioInput.FromStream(stream, "gated")))
        {
            if (windows.Count == 0)
            {
                stream.Delivered.Should().BeLessThanOrEqualTo(firstPart);
                firstWindowSeen.Release();
            }
            windows.Add(w.Window);
        }
        windows.Should().HaveCount(13);
        stream.GateTimedOut.Should().BeFalse();
    }

    [Fact]
    public async Task A_slow_stream_gives_its_first_window_after_about_one_window_of_audio()
    {
        // Measured, not asserted on time (the machine is shared): the meow at 4x real time over a forward-only stream.
        byte[] wav = File.ReadAllBytes(TestAssets.Meow);
        await using var stream = new PacedStream(wav, bytesPerSecond: 4 * 32000);
        var clock = Stopwatch.StartNew();
        double first = -1;
        int n = 0;
        await foreach (var w in f.Classifier.ClassifyAsync(AudioInput.FromStream(stream, "paced")))
        {
            if (n++ == 0) first = clock.Elapsed.TotalSeconds;
        }
        double all = clock.Elapsed.TotalSeconds;
        output.WriteLine($"paced WAV at 4x real time ({wav.Length} bytes, {wav.Length / 128000.0:0.00} s to send): first window after {first:0.000} s, all {n} windows after {all:0.000} s; one window of audio takes {15600 * 2 / 128000.0:0.000} s to send");
        n.Should().Be(13);
        first.Should().BeLessThan(all);
    }

    [Fact]
    public void A_truncated_wav_stream_is_an_error_not_a_short_result()
    {
        byte[] wav = File.ReadAllBytes(TestAssets.Meow);
        using var pipe = new NonSeekableStream(new MemoryStream(wav[..(wav.Length / 2)]));
        FluentActions.Invoking(() => f.Classifier.Classify(AudioInput.FromStream(pipe)).Count())
            .Should().Throw<TruncatedAudioException>().WithMessage("*ended early*");
    }

    [Fact]
    public void A_stream_that_is_not_audio_is_an_error_not_noise()
    {
        var noise = new byte[200_000];
        new Random(11).NextBytes(noise);
        using var pipe = new NonSeekableStream(new MemoryStream(noise));
        FluentActions.Invoking(() => f.Classifier.Classify(AudioInput.FromStream(pipe)).Count()).Should().Throw<AudioFormatException>();
    }

    [Fact]
    public async Task Cancelling_while_a_stream_waits_for_data_stops_the_read()
    {
        byte[] wav = File.ReadAllBytes(TestAssets.Meow);
        using var never = new SemaphoreSlim(0);
        await using var stream = new GatedStream(wav, 44 + 2 * 20000, never, gateTimeout: TimeSpan.FromMinutes(5));
        using var cts = new CancellationTokenSource();
        var run = async () =>
        {
            await foreach (var w in f.Classifier.ClassifyAsync(AudioInput.FromStream(stream), cancellationToken: cts.Token))
                cts.Cancel(); // the next window's bytes are not coming: the pending read must end
        };
        await run.Should().ThrowAsync<OperationCanceledException>();
    }

    /// <summary>Delivers the first bytes at once, then waits (async, cancellable) for a signal before the rest.</summary>
    private sealed class GatedStream(byte[] data, int firstPart, SemaphoreSlim gate, TimeSpan? gateTimeout = null) : ForwardOnlyStream
    {
        private int _pos;

        public int Delivered => _pos;

        public bool GateTimedOut { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_pos == firstPart && !await gate.WaitAsync(gateTimeout ?? TimeSpan.FromSeconds(30), cancellationToken)) GateTimedOut = true;
            int limit = _pos < firstPart ? firstPart : data.Length;
            int n = Math.Min(buffer.Length, limit - _pos);
            data.AsMemory(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }
    }

    /// <summary>Delivers bytes no faster than a given rate, in 10 ms portions (a network stream).</summary>
    private sealed class PacedStream(byte[] data, int bytesPerSecond) : ForwardOnlyStream
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _pos;

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_pos >= data.Length) return 0;
            long allowed;
            while ((allowed = (long)(_clock.Elapsed.TotalSeconds * bytesPerSecond) + 44 - _pos) <= 0)
                await Task.Delay(10, cancellationToken);
            int n = (int)Math.Min(Math.Min(buffer.Length, allowed), data.Length - _pos);
            data.AsMemory(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }
    }
}
