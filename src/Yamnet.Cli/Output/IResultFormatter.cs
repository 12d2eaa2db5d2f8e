namespace Yamnet.Cli.Output;

/// <summary>Writes results to stdout in one output format.</summary>
public interface IResultFormatter
{
    void Begin(RunInfo run);

    /// <summary>Writes one successful file's results (failed files go to stderr instead, but JSON also records them).</summary>
    void WriteFile(FileResult file);

    void End();
}
