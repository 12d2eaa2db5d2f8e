namespace Yamnet.Cli.Output;

/// <summary>Receives embeddings as they are computed, file by file and window by window, and streams them out.</summary>
public interface IEmbeddingWriter : IDisposable
{
    /// <summary>One vector: a window's embedding, or (with <c>--summary mean</c>) a whole file's mean over windows.</summary>
    /// <param name="file">The input path.</param>
    /// <param name="window">The window index, or -1 for a file summary.</param>
    void Write(string file, int window, double startSeconds, double endSeconds, ReadOnlySpan<float> embedding);

    /// <summary>Completes the output (a .npy writer fixes its headers here).</summary>
    void Finish();
}
