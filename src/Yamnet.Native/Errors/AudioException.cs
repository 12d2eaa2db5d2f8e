namespace Yamnet;

/// <summary>An audio file or stream cannot be read or decoded. The message is one line and names the file (or the stream).</summary>
public class AudioException : YamnetException
{
    public AudioException(YamnetErrorCode errorCode, string message, string? fileName = null, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
        FileName = fileName;
    }

    /// <summary>The path, or a description of the stream, that failed.</summary>
    public string? FileName { get; }
}
