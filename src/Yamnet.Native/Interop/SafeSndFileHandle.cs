using System.Runtime.InteropServices;

namespace Yamnet.Interop;

/// <summary>
/// Owns a <c>SNDFILE*</c>. When the file was opened through virtual I/O the handle also owns the
/// <see cref="GCHandle"/> passed as <c>user_data</c>: libsndfile may call back into it until (and during)
/// <c>sf_close</c>, so it is freed only after <c>sf_close</c> returns.
/// </summary>
internal sealed class SafeSndFileHandle : SafeHandle
{
    private GCHandle _userData;

    public SafeSndFileHandle() : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Hands the virtual-I/O state over to this handle; called right after a successful <c>sf_open_virtual</c>.</summary>
    internal void AttachUserData(GCHandle userData) => _userData = userData;

    protected override bool ReleaseHandle()
    {
        // The return code is ignored: a failed close of a file opened for reading loses nothing, and
        // ReleaseHandle has no caller to report to; writers surface encoder errors from sf_writef_*.
        Interop.SndFile.sf_close(handle);
        if (_userData.IsAllocated) _userData.Free();
        return true;
    }
}
