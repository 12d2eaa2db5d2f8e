using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Yamnet.Interop;
using SndFile = Yamnet.Interop.Interop.SndFile;

namespace Yamnet.Audio;

/// <summary>
/// The one place where libsndfile errors become exceptions, so every failure names the file and is
/// typed the same way whichever call produced it.
/// </summary>
internal static class SndFileErrors
{
    /// <summary>
    /// libsndfile keeps the error of a failed open in one process-wide slot, so two failing opens on two
    /// threads could read each other's message. Every open of ours whose callbacks run no user code
    /// (paths, our own spool) holds this gate from the open to reading the slot; nothing else runs under it.
    /// </summary>
    internal static readonly object OpenGate = new();

    /// <summary>The error of a failed open: its code and libsndfile's text.</summary>
    internal readonly record struct OpenError(int Code, string Message);

    /// <summary>Reads the global open-error slot. Call only under <see cref="OpenGate"/>, right after the open that failed.</summary>
    internal static OpenError ReadOpenError()
        => new(SndFile.sf_error(0), ToManaged(SndFile.sf_strerror(0)) ?? "unknown error");

    /// <summary>Throws for a failed <c>sf_open</c>/<c>sf_open_virtual</c> with the error read race-free for that open.</summary>
    [DoesNotReturn]
    internal static void ThrowOpenFailed(string name, string action, OpenError error, Exception? inner = null)
        => throw Create(error.Code, error.Message ?? "unknown error", name, action, inner);

    /// <summary>Throws with the error recorded on an open handle.</summary>
    [DoesNotReturn]
    internal static void ThrowFromHandle(SafeSndFileHandle handle, string name, string action, Exception? inner = null)
    {
        int code = SndFile.sf_error(handle);
        string native = ToManaged(SndFile.sf_strerror(handle)) ?? "unknown error";
        throw Create(code, native, name, action, inner);
    }

    internal static Exception Create(int code, string native, string name, string action, Exception? inner)
    {
        native = OneLine(native);
        // An exception thrown by our own Stream callbacks is the real cause; libsndfile only saw a short read.
        if (inner is not null)
        {
            return new TruncatedAudioException($"Audio stream '{name}' failed while {action}: {OneLine(inner.Message)}", name, inner) { NativeMessage = native };
        }

        switch (code)
        {
            case SndFile.Errors.SF_ERR_UNRECOGNISED_FORMAT:
                return new AudioFormatException($"'{name}' is not a recognised audio file ({native}).", name) { NativeMessage = native };
            case SndFile.Errors.SF_ERR_UNSUPPORTED_ENCODING:
                return new UnsupportedAudioFormatException($"'{name}' uses an unsupported audio encoding ({native}).", name) { NativeMessage = native };
            case SndFile.Errors.SF_ERR_SYSTEM:
                return new AudioException(YamnetErrorCode.AudioReadFailed, $"Could not read '{name}' while {action}: {native}.", name) { NativeMessage = native };
        }

        // Internal error numbers (> 4) are not a stable API: classify by libsndfile's text instead.
        if (native.Contains("not supported", StringComparison.OrdinalIgnoreCase)
            || native.Contains("unsupported", StringComparison.OrdinalIgnoreCase)
            || native.Contains("unimplemented", StringComparison.OrdinalIgnoreCase)
            || native.Contains("not implemented", StringComparison.OrdinalIgnoreCase))
        {
            return new UnsupportedAudioFormatException($"'{name}' uses an unsupported audio format ({native}).", name) { NativeMessage = native };
        }

        return new AudioFormatException(YamnetErrorCode.InvalidAudio, $"'{name}' is not valid audio: {action} failed ({native}).", name) { NativeMessage = native };
    }

    internal static string? ToManaged(nint utf8) => utf8 == 0 ? null : Marshal.PtrToStringUTF8(utf8);

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim().TrimEnd('.');
}
