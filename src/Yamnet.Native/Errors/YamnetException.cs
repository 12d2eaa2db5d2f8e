namespace Yamnet;

/// <summary>
/// The base of every failure this library reports about models, audio, devices and its native
/// runtime, so a host can catch one type and switch on <see cref="ErrorCode"/>. Argument and
/// usage errors of the caller stay the usual BCL exceptions (<see cref="ArgumentException"/>,
/// <see cref="ObjectDisposedException"/>, <see cref="FileNotFoundException"/> for a missing path,
/// <see cref="OperationCanceledException"/> for cancellation); nothing that comes from a native
/// library surfaces as one of those.
/// </summary>
public class YamnetException : Exception
{
    public YamnetException(YamnetErrorCode errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The stable code of this failure.</summary>
    public YamnetErrorCode ErrorCode { get; }

    /// <summary>What the native library said (TFLite's error reporter, libsndfile's or dlerror's text), when the failure came from one.</summary>
    public string? NativeMessage { get; init; }
}
