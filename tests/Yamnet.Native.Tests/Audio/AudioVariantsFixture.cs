using Yamnet.Audio;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Audio;

/// <summary>
/// Writes the format variants of meow_16k.wav once per test class, with the library's own writer
/// (and libsoxr for the rate changes). MP3 and Opus are written by Debian's libsndfile too (LAME and
/// libopus are linked into it); if a build lacks an encoder its variant is null and the test says so.
/// </summary>
public sealed class AudioVariantsFixture : IDisposable
{
    public AudioVariantsFixture()
    {
        Dir = TestAssets.NewTempDir("audio-variants");
        var (pcm, f) = AudioTestData.Meow.Value;

        Pcm16 = Write("pcm16.wav", AudioContainer.Wav, AudioEncoding.Pcm16, 16000, pcm);
        Flac = Write("meow.flac", AudioContainer.Flac, AudioEncoding.Pcm16, 16000, pcm);
        WavEx = Write("wavex.wav", AudioContainer.WavEx, AudioEncoding.Pcm16, 16000, pcm);
        Aiff = Write("meow.aiff", AudioContainer.Aiff, AudioEncoding.Pcm16, 16000, pcm);
        Au = Write("meow.au", AudioContainer.Au, AudioEncoding.Pcm16, 16000, pcm);
        Pcm24At16k = Write("pcm24_16k.wav", AudioContainer.Wav, AudioEncoding.Pcm24, 16000, pcm);
        Pcm32At16k = Write("pcm32_16k.wav", AudioContainer.Wav, AudioEncoding.Pcm32, 16000, pcm);
        FloatAt16k = Write("float_16k.wav", AudioContainer.Wav, AudioEncoding.Float32, 16000, f);
        PcmU8 = Write("pcmu8.wav", AudioContainer.Wav, AudioEncoding.PcmU8, 16000, f);

        float[] at44 = Resampler.ResampleAll(f, 16000, 44100);
        // Stereo with different channels: left is the clip, right is the clip at half level, so the
        // mean is 0.75 x clip and the downmix is visible.
        Stereo44k = Write("stereo44k_pcm16.wav", AudioContainer.Wav, AudioEncoding.Pcm16, 44100,
            AudioTestData.Interleave(at44, at44.Select(x => x * 0.5f).ToArray()), channels: 2);
        Float48k = Write("float48k.wav", AudioContainer.Wav, AudioEncoding.Float32, 48000, Resampler.ResampleAll(f, 16000, 48000));
        Pcm24At22k = Write("pcm24_22k.wav", AudioContainer.Wav, AudioEncoding.Pcm24, 22050, Resampler.ResampleAll(f, 16000, 22050));
        At8k = Write("pcm16_8k.wav", AudioContainer.Wav, AudioEncoding.Pcm16, 8000, Resampler.ResampleAll(f, 16000, 8000));
        Vorbis = TryWrite("meow.ogg", AudioContainer.Ogg, AudioEncoding.Vorbis, 16000, f);
        Opus = TryWrite("meow.opus", AudioContainer.Ogg, AudioEncoding.Opus, 16000, f);
        Mp3 = TryWrite("meow.mp3", AudioContainer.Mpeg, AudioEncoding.Mp3, 16000, f);
        Mp3At44k = TryWrite("meow44k.mp3", AudioContainer.Mpeg, AudioEncoding.Mp3, 44100, at44);
    }

    public string Dir { get; }
    public string Pcm16 { get; }
    public string Flac { get; }
    public string WavEx { get; }
    public string Aiff { get; }
    public string Au { get; }
    public string Pcm24At16k { get; }
    public string Pcm32At16k { get; }
    public string FloatAt16k { get; }
    public string PcmU8 { get; }
    public string Stereo44k { get; }
    public string Float48k { get; }
    public string Pcm24At22k { get; }
    public string At8k { get; }
    public string? Vorbis { get; }
    public string? Opus { get; }
    public string? Mp3 { get; }
    public string? Mp3At44k { get; }

    private string Write(string name, AudioContainer c, AudioEncoding e, int rate, short[] data, int channels = 1)
    {
        string path = Path.Combine(Dir, name);
        AudioFileWriter.WriteFile(path, data, rate, channels, c, e);
        return path;
    }

    private string Write(string name, AudioContainer c, AudioEncoding e, int rate, float[] data, int channels = 1)
    {
        string path = Path.Combine(Dir, name);
        AudioFileWriter.WriteFile(path, data, rate, channels, c, e);
        return path;
    }

    private string? TryWrite(string name, AudioContainer c, AudioEncoding e, int rate, float[] data)
        => AudioFileWriter.IsSupported(c, e, rate, 1) ? Write(name, c, e, rate, data) : null;

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
