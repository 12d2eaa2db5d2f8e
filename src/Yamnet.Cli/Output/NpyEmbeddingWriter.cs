namespace Yamnet.Cli.Output;

/// <summary>
/// Embeddings as float32 .npy [vectors, dimension] and, beside it, their times as float64 .npy
/// [vectors, 2] (start and end seconds). One input per pair of files: rows carry no file name.
/// </summary>
public sealed class NpyEmbeddingWriter(Stream embeddings, Stream times, int dimension) : IEmbeddingWriter
{
    private readonly NpyArrayWriter _embeddings = new(embeddings, "<f4", dimension);
    private readonly NpyArrayWriter _times = new(times, "<f8", 2);
    private readonly double[] _span = new double[2];

    /// <summary>The times file beside an embeddings file: <c>x.npy</c> → <c>x.times.npy</c>.</summary>
    public static string TimesPathFor(string npyPath)
        => npyPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? npyPath[..^4] + ".times.npy" : npyPath + ".times.npy";

    public void Write(string file, int window, double startSeconds, double endSeconds, ReadOnlySpan<float> embedding)
    {
        _embeddings.WriteRow(embedding);
        _span[0] = startSeconds;
        _span[1] = endSeconds;
        _times.WriteRow(_span);
    }

    public void Finish()
    {
        _embeddings.Finish();
        _times.Finish();
    }

    public void Dispose() { }
}
