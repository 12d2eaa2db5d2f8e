using System.Runtime.InteropServices;

namespace Yamnet.Interop;

/// <summary>Interpreter options; TfLiteInterpreterCreate copies them, so they may go as soon as the interpreter exists.</summary>
internal sealed unsafe class SafeTfLiteInterpreterOptionsHandle : SafeHandle
{
    private SafeTfLiteInterpreterOptionsHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    internal Interop.TfLite.TfLiteInterpreterOptions* Options => (Interop.TfLite.TfLiteInterpreterOptions*)handle;

    internal static SafeTfLiteInterpreterOptionsHandle Create()
    {
        var o = Interop.TfLite.TfLiteInterpreterOptionsCreate();
        if (o is null) throw new OutOfMemoryException("TfLiteInterpreterOptionsCreate returned NULL.");
        var h = new SafeTfLiteInterpreterOptionsHandle();
        h.SetHandle((nint)o);
        return h;
    }

    protected override bool ReleaseHandle()
    {
        Interop.TfLite.TfLiteInterpreterOptionsDelete((Interop.TfLite.TfLiteInterpreterOptions*)handle);
        return true;
    }
}
