using BenchmarkDotNet.Attributes;
using Yamnet.Classification;
using Yamnet.TfLite;

namespace Yamnet.Benchmarks;

/// <summary>
/// One window through the interpreter: the public session path against a bare P/Invoke of
/// TfLiteInterpreterInvoke on the same interpreter (the cost floor of calling TFLite from .NET).
/// </summary>
[MemoryDiagnoser]
public class WindowBenchmarks
{
    private AudioClassifier _classifier = null!;
    private ClassifierSession _session = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _classifier = AudioClassifier.Load(BenchAssets.Model, new AudioClassifierOptions { Interpreter = new TfLiteInterpreterOptions { Threads = Threads } });
        _session = _classifier.CreateSession();
        BenchAssets.MeowSamples().AsSpan(0, _classifier.WindowLength).CopyTo(_session.Input);
    }

    [Benchmark(Baseline = true)]
    public unsafe void RawInvoke()
    {
        var handle = _session.Interpreter.Handle;
        Interop.Interop.TfLite.TfLiteInterpreterInvoke(handle.Interpreter);
    }

    [Benchmark]
    public float SessionRun()
    {
        _session.Run();
        return _session.Scores[76];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        _classifier.Dispose();
    }
}
