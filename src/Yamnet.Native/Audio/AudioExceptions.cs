namespace Yamnet.Audio;

/// <summary>
/// The input is not audio that can be decoded: unrecognised or malformed data, an empty file, no frames.
/// Derives from <see cref="IOException"/> so callers that already handle I/O failures handle this too.
/// The message is one line and names the file (or the stream).
/// </summary>
public class AudioFormatException : IOException
{
    public AudioFormatException(string message, string? fileName = null, Exception? innerException = null)
        : base(message, innerException)
    {
        FileName = fileName;
    }

    /// <summary>The path, or a description of the stream, that failed.</summary>
    public string? FileName { get; }

    /// <summary>libsndfile's error text when the failure came from it, otherwise null.</summary>
    public string? NativeMessage { get; init; }
}

/// <summary>
/// The input was recognised but uses something this build does not decode: an unsupported codec or
/// subtype, or parameters outside the accepted range (channels 1..64, sample rate 1..1,000,000 Hz).
/// </summary>
public class UnsupportedAudioFormatException : AudioFormatException
{
    public UnsupportedAudioFormatException(string message, string? fileName = null, Exception? innerException = null)
        : base(message, fileName, innerException)
    {
    }
}

/// <summary>
/// The audio ended before its header said it would, or the underlying file or stream failed while it
/// was being read (file truncated mid-read, stream throwing or ending early).
/// </summary>
public class TruncatedAudioException : AudioFormatException
{
    public TruncatedAudioException(string message, string? fileName = null, Exception? innerException = null)
        : base(message, fileName, innerException)
    {
    }
}
