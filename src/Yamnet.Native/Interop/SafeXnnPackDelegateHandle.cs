using System.Runtime.InteropServices;

namespace Yamnet.Interop;

/// <summary>An XNNPACK delegate. Interpreters AddRef it: a delegate must outlive every interpreter it was applied to.</summary>
internal sealed unsafe class SafeXnnPackDelegateHandle : SafeHandle
{
    private SafeXnnPackWeightsCacheHandle? _weightsCache;

    private SafeXnnPackDelegateHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    internal Interop.TfLite.TfLiteDelegate* Delegate => (Interop.TfLite.TfLiteDelegate*)handle;

    /// <summary>
    /// Creates a delegate from the library's defaults with <paramref name="numThreads"/> and
    /// <paramref name="flags"/>, in the options layout of the loaded TFLite version
    /// (<see cref="TfLiteAbi"/>; throws for an unsupported one). With <paramref name="weightsCache"/>
    /// (2.19 only) its packed weights go to and come from that shared cache, which is AddRef'd
    /// until the delegate is deleted. Null when TFLite refuses.
    /// </summary>
    internal static SafeXnnPackDelegateHandle? Create(int numThreads, uint flags, SafeXnnPackWeightsCacheHandle? weightsCache = null)
    {
        var abi = TfLiteAbi.Current;
        bool added = false;
        try
        {
            weightsCache?.DangerousAddRef(ref added);
            nint cache = weightsCache?.DangerousGetHandle() ?? 0;
            Interop.TfLite.TfLiteDelegate* d;
            switch (abi.XnnPackLayout)
            {
                case XnnPackOptionsLayout.V2_9:
                {
                    var o = Interop.TfLite.TfLiteXNNPackDelegateOptionsDefaultV2_9();
                    o.NumThreads = numThreads;
                    o.Flags = flags; // no weights cache in this layout (the 2.9 prebuilt has none)
                    d = Interop.TfLite.TfLiteXNNPackDelegateCreate(&o);
                    break;
                }
                case XnnPackOptionsLayout.V2_19:
                {
                    var o = Interop.TfLite.TfLiteXNNPackDelegateOptionsDefaultV2_19();
                    o.NumThreads = numThreads;
                    o.Flags = flags;
                    o.WeightsCache = cache;
                    d = Interop.TfLite.TfLiteXNNPackDelegateCreate(&o);
                    break;
                }
                default:
                    throw new InvalidOperationException($"no XNNPACK options layout {abi.XnnPackLayout}");
            }
            if (d is null)
            {
                if (added) weightsCache!.DangerousRelease();
                return null;
            }
            var h = new SafeXnnPackDelegateHandle { _weightsCache = added ? weightsCache : null };
            h.SetHandle((nint)d);
            return h;
        }
        catch
        {
            if (added) weightsCache!.DangerousRelease();
            throw;
        }
    }

    protected override bool ReleaseHandle()
    {
        Interop.TfLite.TfLiteXNNPackDelegateDelete((Interop.TfLite.TfLiteDelegate*)handle);
        _weightsCache?.DangerousRelease();
        _weightsCache = null;
        return true;
    }
}
