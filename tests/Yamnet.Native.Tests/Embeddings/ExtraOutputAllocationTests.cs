using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Embeddings;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.Embeddings;

[Collection(SerialCollection.Name)]
public class ExtraOutputAllocationTests
{
    [Fact]
    public void Reading_embedding_and_log_mel_allocates_nothing_per_window()
    {
        using var classifier = AudioClassifier.Load(TestAssets.YamnetModel, new AudioClassifierOptions { ExtraOutputs = ExtraOutputs.All });
        using var session = classifier.CreateSession();
        double sink = 0;
        long Allocated(int windows)
        {
            var samples = new float[(windows - 1) * 7800 + 15600];
            for (int i = 0; i < samples.Length; i++) samples[i] = MathF.Sin(i * 0.07f) * 0.3f;
            using var source = new ArraySampleSource(samples, 16000);
            long before = GC.GetAllocatedBytesForCurrentThread();
            FileAnalyzer.Analyze(session, source, 7800, (in AudioWindow w, in WindowOutputs o) => sink += o.Embedding[3] + o.LogMelSpectrogram[7] + o.Scores[0]);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Allocated(5);
        long small = Allocated(20), large = Allocated(120);
        ((large - small) / 100.0).Should().BeLessThan(8, $"runs allocated {small} and {large} bytes");
        sink.Should().NotBe(0);
    }
}
