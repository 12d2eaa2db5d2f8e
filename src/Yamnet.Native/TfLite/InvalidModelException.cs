namespace Yamnet.TfLite;

/// <summary>
/// The bytes are not a model this library can run safely (empty, not a TFLite flatbuffer,
/// inconsistent), do not match the required SHA-256, or are a valid model of a kind it does not run
/// (see <see cref="YamnetException.ErrorCode"/>).
/// </summary>
public sealed class InvalidModelException : TfLiteException
{
    public InvalidModelException(string message, string? nativeMessage = null)
        : base(YamnetErrorCode.InvalidModel, message, nativeMessage)
    {
    }

    public InvalidModelException(YamnetErrorCode errorCode, string message, string? nativeMessage = null)
        : base(errorCode, message, nativeMessage)
    {
    }
}
