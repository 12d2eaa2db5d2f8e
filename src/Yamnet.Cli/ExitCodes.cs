namespace Yamnet.Cli;

/// <summary>Process exit codes of every yamnet command.</summary>
public static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Ok = 0;

    /// <summary>At least one input (audio file) failed and was skipped, or an unexpected runtime error.</summary>
    public const int InputFailed = 1;

    /// <summary>Usage or setup error: bad option value, unknown label, model not found or invalid. Nothing was classified.</summary>
    public const int Usage = 2;
}

/// <summary>A usage or setup problem, reported as one line on stderr with exit code <see cref="ExitCodes.Usage"/>.</summary>
public sealed class UsageException(string message) : Exception(message);
