using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Yamnet.Logging;

namespace Yamnet.TfLite;

/// <summary>
/// Receives TFLite's error-reporter calls for one interpreter. The text is formatted with libc's
/// vsnprintf (the reporter hands over a va_list that only C can walk) and kept, so the next failing
/// call can put it in its exception. It is also queued for the logger, which is called only after the
/// native call returned (<see cref="Flush"/>): never from inside TFLite, never under a global lock.
/// </summary>
internal sealed class TfLiteErrorSink
{
    private const int MaxPending = 64;
    private readonly object _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<string> _pending = [];
    private volatile bool _hasPending;

    /// <summary>Returns and clears what was reported since the last call; null when nothing was.</summary>
    internal string? Take()
    {
        lock (_gate)
        {
            if (_text.Length == 0) return null;
            string s = _text.ToString().Trim();
            _text.Clear();
            return s;
        }
    }

    internal void Clear()
    {
        lock (_gate) _text.Clear();
    }

    /// <summary>Logs what was reported since the last flush. Cheap when nothing was (one volatile read).</summary>
    internal void Flush(ILogger logger)
    {
        if (!_hasPending) return;
        string[] messages;
        lock (_gate)
        {
            messages = [.. _pending];
            _pending.Clear();
            _hasPending = false;
        }
        foreach (string m in messages) LogEvents.TfLiteReported(logger, m);
    }

    private void Append(string message)
    {
        lock (_gate)
        {
            string m = message.Trim();
            // Bounded: a model that reports in a loop must not grow memory without limit.
            if (_text.Length <= 8192)
            {
                if (_text.Length > 0) _text.Append("; ");
                _text.Append(m);
            }
            if (_pending.Count < MaxPending) _pending.Add(m);
            _hasPending = true;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static unsafe void Report(void* userData, byte* format, nint args)
    {
        try
        {
            const int size = 1024;
            byte* buffer = stackalloc byte[size];
            int n = Interop.Interop.Libc.VsnPrintf(buffer, size, format, args);
            string message = n < 0 ? "(unformattable TFLite message)" : Encoding.UTF8.GetString(buffer, Math.Min(n, size - 1));
            if (GCHandle.FromIntPtr((nint)userData).Target is TfLiteErrorSink sink) sink.Append(message);
        }
        catch
        {
            // An exception must never unwind into native frames.
        }
    }
}
