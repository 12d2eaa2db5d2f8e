using System.Runtime.InteropServices;
using Yamnet.Audio;
using Yamnet.Classification;

namespace Yamnet.Consumer.Tests;

/// <summary>Uses Yamnet.Native only as a package: public API, TFLite from the package's runtimes folder.</summary>
public sealed class PackageConsumerTests
{
    private static string Shared =>
        Environment.GetEnvironmentVariable("YAMNET_SHARED_DIR") is { Length: > 0 } dir
            ? dir
            : throw new InvalidOperationException("set YAMNET_SHARED_DIR to the shared folder (models/, audio/)");

    private static string Rid => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    [Fact]
    public void Meow_first_window_is_the_seed_top_class()
    {
        using var classifier = AudioClassifier.Load(Path.Combine(Shared, "models", "yamnet.tflite"));
        using var session = classifier.CreateSession();
        using var reader = AudioReader.Open(Path.Combine(Shared, "audio", "meow_16k.wav"), classifier.SampleRate);
        var framer = new WindowFramer(reader, classifier.WindowLength, classifier.WindowLength);

        framer.TryWriteNext(session.Input, out AudioWindow window).Should().BeTrue();
        window.StartSample.Should().Be(0);
        session.Run();
        Span<ScoredClass> top = stackalloc ScoredClass[5];
        int n = TopK.Select(session.Scores, top);

        n.Should().Be(5);
        top[0].Index.Should().Be(76);
        top[0].Score.Should().Be(0.80078125f);
        classifier.Labels.NameOf(76).Should().Be("Cat");
    }

    [Fact]
    public void TfLite_is_loaded_from_the_package_runtimes_folder()
    {
        Environment.GetEnvironmentVariable("YAMNET_TFLITE_LIB").Should().BeNullOrEmpty();
        // No checkout above us: the resolver's development fallback (native/out/<rid>) cannot apply.
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            File.Exists(Path.Combine(d.FullName, "native", "build-tflite.sh")).Should().BeFalse($"{d.FullName} must not be a checkout");

        using (AudioClassifier.Load(Path.Combine(Shared, "models", "yamnet.tflite"))) { }

        string expected = Path.Combine(AppContext.BaseDirectory, "runtimes", Rid, "native", "libtensorflowlite_c.so");
        File.Exists(expected).Should().BeTrue("the SDK copies the package's runtimes/<rid>/native into the output");
        var mapped = File.ReadLines("/proc/self/maps")
            .Where(l => l.EndsWith("libtensorflowlite_c.so", StringComparison.Ordinal))
            .Select(l => l[l.IndexOf('/')..])
            .Distinct()
            .ToList();
        mapped.Should().Equal(new[] { Path.GetFullPath(expected) });
    }
}
