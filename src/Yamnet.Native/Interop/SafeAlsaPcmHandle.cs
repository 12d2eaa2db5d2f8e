using System.Runtime.InteropServices;

namespace Yamnet.Interop;

/// <summary>
/// Owns a <c>snd_pcm_t</c>. <c>snd_pcm_close</c> also stops the stream and releases the device, so a
/// capture that ends any way (stop, error, finalizer) frees the device for the next user. Its status is
/// ignored: there is nothing a caller could do about a failed close.
/// </summary>
internal sealed class SafeAlsaPcmHandle : SafeHandle
{
    public SafeAlsaPcmHandle() : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        Interop.Alsa.snd_pcm_close(handle);
        return true;
    }
}
