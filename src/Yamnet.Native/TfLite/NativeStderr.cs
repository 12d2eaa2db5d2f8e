using System.Text;
using static Yamnet.Interop.Interop;

namespace Yamnet.TfLite;

/// <summary>
/// TFLite logs some things ("INFO: Created TensorFlow Lite XNNPACK delegate for CPU.") straight to
/// file descriptor 2, bypassing the error reporter. Around the few calls that do so, fd 2 is
/// pointed at an in-memory file and what was written is handed to <see cref="TfLiteRuntime.Log"/>,
/// so a CLI user sees it only when asked. fd 2 is process-wide: captures are serialized, and other
/// threads' stderr output during a capture is routed to the log too rather than lost.
/// </summary>
internal static unsafe class NativeStderr
{
    private static readonly object s_gate = new();

    internal static T Capture<T>(Func<T> action)
    {
        if (!TfLiteRuntime.CaptureNativeStderr) return action();
        lock (s_gate)
        {
            int memfd = Libc.MemfdCreate("yamnet-tflite-stderr", Libc.MFD_CLOEXEC);
            int saved = memfd < 0 ? -1 : Libc.Dup(2);
            if (memfd < 0 || saved < 0)
            {
                if (memfd >= 0) Libc.Close(memfd);
                return action();
            }
            try
            {
                Libc.FFlush(0);
                Libc.Dup2(memfd, 2);
                return action();
            }
            finally
            {
                Libc.FFlush(0);
                Libc.Dup2(saved, 2);
                Libc.Close(saved);
                Forward(memfd);
                Libc.Close(memfd);
            }
        }
    }

    private static void Forward(int fd)
    {
        long length = Libc.LSeek(fd, 0, Libc.SEEK_END);
        if (length <= 0) return;
        var bytes = new byte[Math.Min(length, 64 * 1024)];
        fixed (byte* p = bytes)
        {
            nint n = Libc.PRead(fd, p, (nuint)bytes.Length, 0);
            if (n <= 0) return;
            foreach (string line in Encoding.UTF8.GetString(bytes, 0, (int)n).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                TfLiteRuntime.RaiseLog(line);
        }
    }
}
