namespace Yamnet.Live;

/// <summary>
/// A capture device could not be opened or failed while capturing (no such device, busy, unplugged,
/// unsupported format). The message is one line and names the device; <see cref="NativeError"/> is
/// the negative errno alsa-lib returned, when there was one, and sets <see cref="YamnetException.ErrorCode"/>.
/// Before 0.2 this derived from <see cref="IOException"/>; it is now a <see cref="YamnetException"/>.
/// </summary>
public sealed class AudioDeviceException : YamnetException
{
    public AudioDeviceException(string message, string device, int nativeError = 0)
        : base(CodeOf(nativeError), message)
    {
        Device = device;
        NativeError = nativeError;
    }

    public string Device { get; }

    public int NativeError { get; }

    // Linux errno values (alsa-lib returns them negated).
    private static YamnetErrorCode CodeOf(int nativeError) => -nativeError switch
    {
        2 or 6 or 19 => YamnetErrorCode.DeviceNotFound, // ENOENT, ENXIO, ENODEV
        16 => YamnetErrorCode.DeviceBusy,                // EBUSY
        1 or 13 => YamnetErrorCode.DeviceAccessDenied,  // EPERM, EACCES
        _ => YamnetErrorCode.DeviceFailed,
    };
}
