namespace Yamnet.Audio;

/// <summary>
/// The input was recognised but uses something this build does not decode: an unsupported codec or
/// subtype, or parameters outside the accepted range (channels 1..64, sample rate 1..1,000,000 Hz).
/// </summary>
public class UnsupportedAudioFormatException : AudioFormatException
{
    public UnsupportedAudioFormatException(string message, string? fileName = null, Exception? innerException = null)
        : base(YamnetErrorCode.UnsupportedAudio, message, fileName, innerException)
    {
    }
}
