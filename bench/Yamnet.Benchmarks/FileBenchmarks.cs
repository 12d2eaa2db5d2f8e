using BenchmarkDotNet.Attributes;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.TfLite;

namespace Yamnet.Benchmarks;

/// <summary>A whole 60 s file end to end (decode, frame, infer every 7800-sample hop), on a pool of 1..N interpreters.</summary>
[MemoryDiagnoser]
public class FileBenchmarks
{
    private AudioClassifier _classifier = null!;
    private string _path = "";

    [Params(1, 2)]
    public int Workers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _classifier = AudioClassifier.Load(BenchAssets.Model, new AudioClassifierOptions { Interpreter = new TfLiteInterpreterOptions { Threads = 1 } });
        _path = BenchAssets.Derived("60s-16k.wav", 60, 16000, 1, AudioContainer.Wav, AudioEncoding.Pcm16);
    }

    [Benchmark]
    public int ClassifyFile()
    {
        using var reader = AudioReader.Open(_path, _classifier.SampleRate);
        int windows = 0;
        new WindowPipeline(_classifier, Workers).Analyze(reader, 7800, (in AudioWindow w, ReadOnlySpan<float> s) => windows++);
        return windows;
    }

    [GlobalCleanup]
    public void Cleanup() => _classifier.Dispose();
}
