namespace Yamnet.Cli.Output;

/// <summary>
/// Writes results to stdout in one output format: a file at once (<see cref="WriteFile"/>), or a
/// file whose windows stream out while it is still being classified (<see cref="BeginFile"/>, then
/// <see cref="WriteWindow"/> per window, then <see cref="EndFile"/>), so a long recording's output
/// costs nothing after its last window.
/// </summary>
public interface IResultFormatter
{
    void Begin(RunInfo run);

    /// <summary>Writes one file's results (failed files go to stderr instead, but JSON also records them).</summary>
    void WriteFile(FileResult file);

    /// <summary>Starts a file whose windows follow one by one (<paramref name="file"/> has its path and format, no windows yet).</summary>
    void BeginFile(FileResult file);

    /// <summary>Writes the next window of the file begun last.</summary>
    void WriteWindow(WindowResult window);

    /// <summary>
    /// Ends the file begun last: <paramref name="file"/> is its whole result, whose windows were
    /// already written, and what follows them (an error) is written now.
    /// </summary>
    void EndFile(FileResult file);

    /// <summary>Pushes what was written so far out to the output (a streamed file's windows, while it runs).</summary>
    void Flush();

    void End();
}
