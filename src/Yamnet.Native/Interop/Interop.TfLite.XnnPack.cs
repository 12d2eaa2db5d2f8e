using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    /// <summary>
    /// The XNNPACK delegate entry points. Their options struct differs by TFLite version, so each
    /// version has its own declaration of <c>TfLiteXNNPackDelegateOptionsDefault</c> (it returns
    /// the struct by value: a 16-byte 2.9 struct comes back in registers, a 64-byte 2.19 one through
    /// a hidden result pointer; calling the wrong one corrupts the stack). Only the one matching
    /// <see cref="TfLiteAbi.Current"/> may be called; <see cref="SafeXnnPackDelegateHandle"/> does that.
    /// </summary>
    internal static unsafe partial class TfLite
    {
        [LibraryImport(Libraries.TfLiteC, EntryPoint = "TfLiteXNNPackDelegateOptionsDefault")]
        internal static partial XnnPackOptionsV2_9 TfLiteXNNPackDelegateOptionsDefaultV2_9();

        [LibraryImport(Libraries.TfLiteC, EntryPoint = "TfLiteXNNPackDelegateOptionsDefault")]
        internal static partial XnnPackOptionsV2_19 TfLiteXNNPackDelegateOptionsDefaultV2_19();

        /// <summary><paramref name="options"/> points at the struct of the loaded version's layout.</summary>
        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteDelegate* TfLiteXNNPackDelegateCreate(void* options);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial void TfLiteXNNPackDelegateDelete(TfLiteDelegate* @delegate);

        // The weights cache (packed weights shared by delegates): exported by 2.19, absent from the
        // 2.9 prebuilt. Call only when TfLiteAbi.Current.HasXnnPackWeightsCache.

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial nint TfLiteXNNPackDelegateWeightsCacheCreate();

        /// <summary>C bool (1 byte): non-zero on success.</summary>
        [LibraryImport(Libraries.TfLiteC)]
        internal static partial byte TfLiteXNNPackDelegateWeightsCacheFinalizeSoft(nint cache);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial void TfLiteXNNPackDelegateWeightsCacheDelete(nint cache);
    }
}
