using System.Runtime.InteropServices;

namespace Yamnet.Interop;

/// <summary>
/// An XNNPACK weights cache (TFLite 2.19): packed weights that several delegates share instead of
/// each packing its own copy. Delegates AddRef it, so it is deleted only after the last of them.
/// </summary>
internal sealed class SafeXnnPackWeightsCacheHandle : SafeHandle
{
    private SafeXnnPackWeightsCacheHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    /// <summary>A new, empty cache, or null when the library lacks the cache (2.9) or refused.</summary>
    internal static SafeXnnPackWeightsCacheHandle? Create()
    {
        if (!TfLiteAbi.Current.HasXnnPackWeightsCache) return null;
        nint cache = Interop.TfLite.TfLiteXNNPackDelegateWeightsCacheCreate();
        if (cache == 0) return null;
        var h = new SafeXnnPackWeightsCacheHandle();
        h.SetHandle(cache);
        return h;
    }

    /// <summary>
    /// Soft-finalizes the cache: XNNPACK refuses to run an operator whose weights cache is not
    /// finalized, and a soft-finalized one still serves later delegates whose weights it holds
    /// (the pool creates interpreters on demand, so the number is not known up front).
    /// </summary>
    internal bool FinalizeSoft() => Interop.TfLite.TfLiteXNNPackDelegateWeightsCacheFinalizeSoft(handle) != 0;

    protected override bool ReleaseHandle()
    {
        Interop.TfLite.TfLiteXNNPackDelegateWeightsCacheDelete(handle);
        return true;
    }
}
