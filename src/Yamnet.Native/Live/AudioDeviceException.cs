namespace Yamnet.Live;

/// <summary>
/// A capture device could not be opened or failed while capturing (no such device, busy, unplugged,
/// unsupported format). The message is one line and names the device; <see cref="NativeError"/> is
/// the negative errno alsa-lib returned, when there was one.
/// </summary>
public sealed class AudioDeviceException : IOException
{
    public AudioDeviceException(string message, string device, int nativeError = 0)
        : base(message)
    {
        Device = device;
        NativeError = nativeError;
    }

    public string Device { get; }

    public int NativeError { get; }
}
