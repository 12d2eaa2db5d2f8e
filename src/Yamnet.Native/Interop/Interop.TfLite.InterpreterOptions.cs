using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    internal static unsafe partial class TfLite
    {
        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteInterpreterOptions* TfLiteInterpreterOptionsCreate();

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial void TfLiteInterpreterOptionsDelete(TfLiteInterpreterOptions* options);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial void TfLiteInterpreterOptionsSetNumThreads(TfLiteInterpreterOptions* options, int numThreads);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial void TfLiteInterpreterOptionsAddDelegate(TfLiteInterpreterOptions* options, TfLiteDelegate* @delegate);

        /// <summary>The reporter receives a printf format and a va_list (a pointer on x86-64 and, by reference, on AArch64).</summary>
        [LibraryImport(Libraries.TfLiteC)]
        internal static partial void TfLiteInterpreterOptionsSetErrorReporter(
            TfLiteInterpreterOptions* options,
            delegate* unmanaged[Cdecl]<void*, byte*, nint, void> reporter,
            void* userData);
    }
}
