namespace Yamnet.Cli;

/// <summary>
/// Every diagnostic line of the CLI goes through here: a closed (<c>2&gt;&amp;-</c>) or full
/// (<c>2&gt;/dev/full</c>) stderr loses the line but never aborts the run (an IOException from
/// Console.Error used to escape and abort the process with exit 134).
/// </summary>
public static class StdErr
{
    private static readonly object Gate = new();

    public static void WriteLine(string line) => Write(line + "\n");

    /// <summary>Writes <paramref name="text"/> as is (the progress bar's carriage-return redraws).</summary>
    public static void Write(string text)
    {
        lock (Gate)
        {
            try
            {
                Console.Error.Write(text);
                Console.Error.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                // Nowhere left to report to; the exit code still says what happened.
            }
        }
    }
}
