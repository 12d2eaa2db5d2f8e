using System.Runtime.InteropServices;

namespace Yamnet.Interop;

/// <summary>Owns a <c>soxr_t</c>; <c>soxr_delete</c> cannot fail.</summary>
internal sealed class SafeSoxrHandle : SafeHandle
{
    public SafeSoxrHandle() : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        Interop.Soxr.soxr_delete(handle);
        return true;
    }
}
