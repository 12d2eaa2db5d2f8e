using System.Runtime.InteropServices;

namespace Yamnet.Interop;

/// <summary>An XNNPACK delegate. Interpreters AddRef it: a delegate must outlive every interpreter it was applied to.</summary>
internal sealed unsafe class SafeXnnPackDelegateHandle : SafeHandle
{
    private SafeXnnPackDelegateHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    internal Interop.TfLite.TfLiteDelegate* Delegate => (Interop.TfLite.TfLiteDelegate*)handle;

    internal static SafeXnnPackDelegateHandle? Create(int numThreads, uint flags)
    {
        var options = Interop.TfLite.TfLiteXNNPackDelegateOptionsDefault();
        options.NumThreads = numThreads;
        options.Flags = flags;
        var d = Interop.TfLite.TfLiteXNNPackDelegateCreate(&options);
        if (d is null) return null;
        var h = new SafeXnnPackDelegateHandle();
        h.SetHandle((nint)d);
        return h;
    }

    protected override bool ReleaseHandle()
    {
        Interop.TfLite.TfLiteXNNPackDelegateDelete((Interop.TfLite.TfLiteDelegate*)handle);
        return true;
    }
}
