namespace Yamnet.TfLite;

/// <summary>A TFLite call failed. <see cref="NativeMessage"/> holds what TFLite's error reporter said, if anything.</summary>
public class TfLiteException : Exception
{
    public TfLiteException(string message, string? nativeMessage = null, Exception? inner = null)
        : base(nativeMessage is { Length: > 0 } ? $"{message}: {nativeMessage}" : message, inner)
        => NativeMessage = nativeMessage;

    /// <summary>The last text TFLite reported for the failing call, or null.</summary>
    public string? NativeMessage { get; }
}

/// <summary>The bytes are not a model this library can run safely: empty, not a TFLite flatbuffer, or inconsistent.</summary>
public sealed class InvalidModelException : TfLiteException
{
    public InvalidModelException(string message, string? nativeMessage = null) : base(message, nativeMessage) { }
}

/// <summary>A delegate (XNNPACK) could not be created or applied.</summary>
public sealed class TfLiteDelegateException : TfLiteException
{
    public TfLiteDelegateException(string message, string? nativeMessage = null) : base(message, nativeMessage) { }
}
