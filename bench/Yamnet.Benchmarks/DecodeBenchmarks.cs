using BenchmarkDotNet.Attributes;
using Yamnet.Audio;

namespace Yamnet.Benchmarks;

/// <summary>Decode (+ downmix + resample to 16 kHz) throughput over 60 s of audio in several formats.</summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private string _path = "";
    private readonly float[] _buffer = new float[8192];

    [Params("wav-16k-mono", "wav-44k-stereo", "flac-16k", "mp3-44k")]
    public string Format { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _path = Format switch
        {
            "wav-16k-mono" => BenchAssets.Derived("60s-16k.wav", 60, 16000, 1, AudioContainer.Wav, AudioEncoding.Pcm16),
            "wav-44k-stereo" => BenchAssets.Derived("60s-44k-stereo.wav", 60, 44100, 2, AudioContainer.Wav, AudioEncoding.Pcm16),
            "flac-16k" => BenchAssets.Derived("60s-16k.flac", 60, 16000, 1, AudioContainer.Flac, AudioEncoding.Pcm16),
            "mp3-44k" => BenchAssets.Derived("60s-44k.mp3", 60, 44100, 1, AudioContainer.Mpeg, AudioEncoding.Mp3),
            _ => throw new ArgumentException(Format),
        };
    }

    [Benchmark]
    public long DecodeToModelRate()
    {
        using var reader = AudioReader.Open(_path, 16000);
        long total = 0;
        int n;
        while ((n = reader.Read(_buffer)) > 0) total += n;
        return total;
    }
}
