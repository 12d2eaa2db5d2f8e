namespace Yamnet;

/// <summary>
/// The native runtime failed: a library could not be found or loaded (see
/// <see cref="NativeLibraryException"/>), or a native call failed for a reason that is not about the input.
/// </summary>
public class NativeRuntimeException : YamnetException
{
    public NativeRuntimeException(YamnetErrorCode errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}
