namespace Yamnet.Service.Hosting;

/// <summary>What one source went through, across its restarts (updated by its runner thread, read at the end).</summary>
public sealed class SourceStats
{
    public long WindowsClassified;
    public long WindowsGated;
    public long WindowsDropped;
    public long Events;
    public long Runs;
    public long Failures;
    public double AudioSeconds;
    public long ClipsSaved;

    /// <summary>True when the source ended for good (stdin or a file at its end) rather than being stopped.</summary>
    public bool Finished;

    /// <summary>The last failure, when the source gave up (stdin cannot be reopened).</summary>
    public string? FatalError;
}
