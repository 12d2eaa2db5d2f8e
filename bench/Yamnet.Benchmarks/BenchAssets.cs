using Yamnet.Audio;

namespace Yamnet.Benchmarks;

/// <summary>Finds the model and clip (models/ and test_data/ of the checkout, else ../shared) and makes derived audio files once.</summary>
internal static class BenchAssets
{
    internal static string Root { get; } = FindRoot();

    internal static string Model => First(Path.Combine(Root, "models", "yamnet.tflite"), Path.Combine(Root, "..", "shared", "models", "yamnet.tflite"));

    internal static string Meow => First(Path.Combine(Root, "test_data", "meow_16k.wav"), Path.Combine(Root, "..", "shared", "audio", "meow_16k.wav"));

    internal static float[] MeowSamples()
    {
        using var reader = AudioReader.Open(Meow, 16000);
        return reader.ReadAll();
    }

    /// <summary>About <paramref name="seconds"/> of meow, tiled, written in the given container at the given rate and channel count.</summary>
    internal static string Derived(string name, int seconds, int rate, int channels, AudioContainer container, AudioEncoding encoding)
    {
        string dir = Path.Combine(Path.GetTempPath(), "yamnet-bench");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name);
        if (File.Exists(path)) return path;
        var meow = MeowSamples();
        var atRate = rate == 16000 ? meow : Resampler.ResampleAll(meow, 16000, rate);
        long frames = (long)seconds * rate;
        var interleaved = new float[frames * channels];
        for (long i = 0; i < frames; i++)
        {
            float s = atRate[i % atRate.Length] * 0.9f;
            for (int c = 0; c < channels; c++) interleaved[i * channels + c] = s;
        }
        AudioFileWriter.WriteFile(path + ".part", interleaved, rate, channels, container, encoding);
        File.Move(path + ".part", path, overwrite: true);
        return path;
    }

    private static string First(params string[] candidates)
        => candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException("run ./yamnet once to provision: " + candidates[0]);

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Yamnet.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
