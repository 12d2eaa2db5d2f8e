using System.Runtime.InteropServices;

namespace Yamnet.Cli;

/// <summary>
/// Why and when a command should stop early: SIGINT or SIGTERM (caught, so output documents are
/// closed and one line says what was done), or stdout going away (EPIPE: the reader of a pipe,
/// <c>| head -1</c>, exited) or failing. <see cref="Token"/> is the library's graceful stop
/// (<see cref="Yamnet.Analysis.BatchClassificationOptions.Interrupt"/>). A second signal is not
/// caught: it terminates the process at once, for a user who does not want to wait for the current window.
/// </summary>
public sealed class Interruption : IDisposable
{
    /// <summary>128 + SIGINT: the shell's code for a process ended by Ctrl-C.</summary>
    public const int SigIntExit = 130;

    /// <summary>128 + SIGPIPE: what a process killed by a broken pipe reports (<c>seq 1e9 | head -1</c>).</summary>
    public const int BrokenPipeExit = 141;

    /// <summary>128 + SIGTERM.</summary>
    public const int SigTermExit = 143;

    private const int Epipe = 32;

    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private int _exitCode;

    public Interruption()
    {
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled when the command should stop handing out work.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>True once a signal arrived or stdout failed.</summary>
    public bool Requested => Volatile.Read(ref _exitCode) != 0;

    /// <summary>The exit code the stop maps to (130, 143, 141, or 1 for an output error); 0 when not stopped.</summary>
    public int ExitCode => Volatile.Read(ref _exitCode);

    /// <summary>"SIGINT" or "SIGTERM" when a signal stopped the run.</summary>
    public string? Signal { get; private set; }

    /// <summary>True when the stop came from stdout (closed pipe or write error): nothing more can be written there.</summary>
    public bool OutputLost => ExitCode is BrokenPipeExit or ExitCodes.InputFailed;

    /// <summary>The write error on stdout other than a closed pipe (e.g. a full disk), for the one-line report.</summary>
    public string? OutputError { get; private set; }

    /// <summary>Called by <see cref="GuardedOutput"/> when a write to stdout fails.</summary>
    public void OnOutputFailed(IOException e)
    {
        bool pipe = e.HResult == Epipe || e.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase);
        if (!pipe) OutputError ??= CliHost.OneLine(e.Message);
        Stop(pipe ? BrokenPipeExit : ExitCodes.InputFailed);
    }

    /// <summary>
    /// The one line saying what an interrupted run did (none for a closed pipe: its reader asked for
    /// no more), shared by classify, detect and embed; returns the exit code. <paramref name="cut"/>
    /// names the input stopped part-way and what of it was kept (e.g. "a.wav cut at 12.5 s (3 windows kept)").
    /// </summary>
    public int Report(int finished, int total, string? cut)
    {
        if (Signal is { } signal)
            StdErr.WriteLine($"yamnet: interrupted by {signal} after {finished} of {total} file{(total == 1 ? "" : "s")}{(cut is null ? "" : "; " + cut)}");
        else if (OutputError is { } error)
            CliHost.Error($"cannot write the output: {error}");
        return ExitCode;
    }

    /// <summary>"(N windows kept)"-style suffix, empty for none.</summary>
    public static string Kept(int count, string noun) => count > 0 ? $" ({count} {noun}{(count == 1 ? "" : "s")} kept)" : "";

    private void OnSignal(PosixSignalContext context)
    {
        if (Requested) return; // the second one: not cancelled, so the default action ends the process now
        context.Cancel = true;
        Signal = context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT";
        Stop(context.Signal == PosixSignal.SIGTERM ? SigTermExit : SigIntExit);
    }

    private void Stop(int exitCode)
    {
        if (Interlocked.CompareExchange(ref _exitCode, exitCode, 0) == 0) _stop.Cancel();
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _stop.Dispose();
    }
}
