namespace Yamnet.Audio;

/// <summary>
/// The audio ended before its header said it would, or the underlying file or stream failed while it
/// was being read (file truncated mid-read, stream throwing or ending early).
/// </summary>
public class TruncatedAudioException : AudioFormatException
{
    public TruncatedAudioException(string message, string? fileName = null, Exception? innerException = null)
        : base(YamnetErrorCode.TruncatedAudio, message, fileName, innerException)
    {
    }
}
