using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    internal static unsafe partial class TfLite
    {
        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteXNNPackDelegateOptions TfLiteXNNPackDelegateOptionsDefault();

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteDelegate* TfLiteXNNPackDelegateCreate(TfLiteXNNPackDelegateOptions* options);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial void TfLiteXNNPackDelegateDelete(TfLiteDelegate* @delegate);
    }
}
