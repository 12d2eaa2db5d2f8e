using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Yamnet.Logging;
using static Yamnet.Interop.Interop;

namespace Yamnet.TfLite;

/// <summary>
/// TFLite prints a few things ("INFO: Created TensorFlow Lite XNNPACK delegate for CPU.") straight to
/// file descriptor 2, bypassing its error reporter, and so does libmpg123 under libsndfile when an
/// MP3 is damaged ("[src/libmpg123/layer3.c:...] error: dequantization failed!", "Note: Trying to resync..."). Only when the host opted in
/// (<see cref="TfLiteRuntime.CaptureNativeStderr"/>, the CLI does) is fd 2 pointed at an in-memory file
/// around the calls that print, so the text can go to the logger instead of a user's terminal.
/// The rules that keep that safe: only native TFLite calls run while fd 2 is redirected and the gate
/// is held (no logging, no user code); every dup2 result is checked and a failed redirect runs the call
/// uncaptured; the saved descriptor and the in-memory file (one, kept for the process) are close-on-exec; lines that are not TFLite's (another thread's
/// stderr in that moment) are written back to the real stderr, not swallowed; Console.Error is bound
/// to the real stderr before the first redirect (it dups fd 2 on first use).
/// </summary>
internal static unsafe class NativeStderr
{
    private static readonly object s_gate = new();
    private static int s_consoleBound;

    /// <summary>Most bytes one in-memory file collects before it is replaced by a fresh one.</summary>
    private const long MemfdRecycleBytes = 1 << 20;

    // One in-memory file serves every capture (under s_gate), read from where the last capture stopped.
    // Why not a fresh one per capture: another thread's write(2) that resolved fd 2 just before the
    // restore can complete just after the read; with the file kept, the next capture finds those
    // bytes and writes them back instead of their being closed away (a CI run lost one such line).
    private static int s_memfd = -1;
    private static long s_consumed;

    /// <summary>What a capture collected: TFLite's lines, to be logged by the caller once it holds nothing.</summary>
    internal readonly struct Captured
    {
        internal Captured(string[] lines, int restoreErrno)
        {
            Lines = lines;
            RestoreErrno = restoreErrno;
        }

        internal string[]? Lines { get; }

        internal int RestoreErrno { get; }

        internal void LogTo(ILogger logger)
        {
            if (RestoreErrno != 0) LogEvents.StderrRestoreFailed(logger, RestoreErrno);
            if (Lines is null) return;
            foreach (string line in Lines) LogEvents.TfLiteLine(logger, line);
        }
    }

    internal static T Run<T>(Func<T> nativeCall, out Captured captured)
    {
        var redirect = Begin();
        T result;
        try
        {
            result = nativeCall();
        }
        finally
        {
            captured = End(ref redirect, IsTfLiteLine);
        }
        return result;
    }

    /// <summary>fd 2 while a capture is in force: the saved real stderr (or inactive); fd 2 points at the process's in-memory file.</summary>
    internal struct Redirect
    {
        internal int Saved;
        internal bool Active;
    }

    /// <summary>
    /// Starts a capture (when opted in): takes the gate and points fd 2 at an in-memory file. Only
    /// native calls may run until <see cref="End"/>, on the same thread. Allocates nothing, so a
    /// decoder can wrap every read of a file in it.
    /// </summary>
    internal static Redirect Begin()
    {
        if (!TfLiteRuntime.CaptureNativeStderr) return default;
        if (Interlocked.Exchange(ref s_consoleBound, 1) == 0) _ = Console.Error;
        Monitor.Enter(s_gate);
        if (s_memfd < 0)
        {
            s_memfd = Libc.MemfdCreate("yamnet-native-stderr", Libc.MFD_CLOEXEC);
            s_consumed = 0;
        }
        int memfd = s_memfd;
        int saved = memfd < 0 ? -1 : Libc.FcntlInt(2, Libc.F_DUPFD_CLOEXEC, 3);
        if (saved >= 0) Libc.FFlush(0);
        if (memfd < 0 || saved < 0 || Dup2(memfd, 2) < 0)
        {
            // fd 2 is unchanged: run uncaptured rather than not at all.
            if (saved >= 0) Libc.Close(saved);
            Monitor.Exit(s_gate);
            return default;
        }
        return new Redirect { Saved = saved, Active = true };
    }

    /// <summary>
    /// Ends a capture: restores fd 2, releases the gate, and returns the lines <paramref name="claims"/>
    /// recognises (the library's to report); every other line is written back to the real stderr.
    /// </summary>
    internal static Captured End(ref Redirect redirect, Func<string, bool> claims)
    {
        if (!redirect.Active) return default;
        redirect.Active = false;
        int restoreErrno = 0;
        byte[]? text;
        try
        {
            Libc.FFlush(0);
            if (Dup2(redirect.Saved, 2) < 0) restoreErrno = Marshal.GetLastPInvokeError();
            Libc.Close(redirect.Saved);
            text = ReadNew(s_memfd);
            if (s_consumed > MemfdRecycleBytes)
            {
                Libc.Close(s_memfd);
                s_memfd = -1;
            }
        }
        finally
        {
            Monitor.Exit(s_gate);
        }
        if (text is null || text.Length == 0) return new Captured([], restoreErrno);
        var mine = new List<string>();
        var others = new StringBuilder();
        foreach (string line in Encoding.UTF8.GetString(text).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (claims(line)) mine.Add(line.TrimEnd('\r'));
            else others.Append(line).Append('\n');
        }
        if (others.Length > 0) WriteBack(Encoding.UTF8.GetBytes(others.ToString()));
        return new Captured([.. mine], restoreErrno);
    }

    // TFLite's minimal logger writes "<SEVERITY>: message\n".
    internal static bool IsTfLiteLine(string line)
        => line.StartsWith("INFO: ", StringComparison.Ordinal) || line.StartsWith("WARNING: ", StringComparison.Ordinal)
           || line.StartsWith("ERROR: ", StringComparison.Ordinal) || line.StartsWith("VERBOSE: ", StringComparison.Ordinal);

    private static int Dup2(int from, int to)
    {
        int rc;
        do rc = Libc.Dup2(from, to);
        while (rc < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR);
        return rc;
    }

    /// <summary>What was written to the in-memory file since the last capture read it (at most 64 KiB of it kept).</summary>
    private static byte[]? ReadNew(int fd)
    {
        long length = Libc.LSeek(fd, 0, Libc.SEEK_END);
        long from = s_consumed;
        if (length <= from) return null;
        s_consumed = length;
        var bytes = new byte[Math.Min(length - from, 64 * 1024)];
        fixed (byte* p = bytes)
        {
            nint n = Libc.PRead(fd, p, (nuint)bytes.Length, from);
            return n <= 0 ? null : bytes.AsSpan(0, (int)n).ToArray();
        }
    }

    private static void WriteBack(byte[] bytes)
    {
        fixed (byte* p = bytes)
        {
            nint done = 0;
            while (done < bytes.Length)
            {
                nint n = Libc.Write(2, p + done, (nuint)(bytes.Length - done));
                if (n < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                if (n <= 0) return;
                done += n;
            }
        }
    }
}
