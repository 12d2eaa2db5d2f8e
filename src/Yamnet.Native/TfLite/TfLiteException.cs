namespace Yamnet.TfLite;

/// <summary>
/// A TFLite call failed for this model (interpreter creation, tensor allocation, resize, invoke).
/// <see cref="YamnetException.NativeMessage"/> holds what TFLite's error reporter said, if anything.
/// </summary>
public class TfLiteException : ModelException
{
    public TfLiteException(string message, string? nativeMessage = null, Exception? inner = null)
        : this(YamnetErrorCode.TfLiteCallFailed, message, nativeMessage, inner)
    {
    }

    public TfLiteException(YamnetErrorCode errorCode, string message, string? nativeMessage = null, Exception? inner = null)
        : base(errorCode, nativeMessage is { Length: > 0 } ? $"{message}: {nativeMessage}" : message, inner)
    {
        NativeMessage = nativeMessage;
    }
}
