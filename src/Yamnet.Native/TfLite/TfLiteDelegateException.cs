namespace Yamnet.TfLite;

/// <summary>A delegate (XNNPACK) could not be created or applied.</summary>
public sealed class TfLiteDelegateException : TfLiteException
{
    public TfLiteDelegateException(string message, string? nativeMessage = null)
        : base(YamnetErrorCode.DelegateFailed, message, nativeMessage)
    {
    }
}
