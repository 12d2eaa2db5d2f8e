namespace Yamnet.Audio;

/// <summary>
/// The input is not audio that can be decoded: unrecognised or malformed data, an empty file, no frames.
/// The message is one line and names the file (or the stream). Before 0.2 this derived from
/// <see cref="IOException"/>; it is now a <see cref="YamnetException"/> (catch <see cref="AudioException"/> for every audio failure).
/// </summary>
public class AudioFormatException : AudioException
{
    public AudioFormatException(string message, string? fileName = null, Exception? innerException = null)
        : this(YamnetErrorCode.UnrecognisedAudio, message, fileName, innerException)
    {
    }

    public AudioFormatException(YamnetErrorCode errorCode, string message, string? fileName = null, Exception? innerException = null)
        : base(errorCode, message, fileName, innerException)
    {
    }
}
