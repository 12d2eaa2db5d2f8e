using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Yamnet.Interop;

internal static partial class Interop
{
    internal static unsafe partial class TfLite
    {
        [LibraryImport(Libraries.TfLiteC)]
        internal static partial byte* TfLiteVersion();

        /// <summary>Does not copy <paramref name="modelData"/>: the buffer must outlive the model and every interpreter.</summary>
        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteModel* TfLiteModelCreate(void* modelData, nuint modelSize);

        /// <summary>Maps the file: truncating it on disk while the model lives kills the process, which is why the public API loads bytes instead.</summary>
        [LibraryImport(Libraries.TfLiteC, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial TfLiteModel* TfLiteModelCreateFromFile(string modelPath);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial void TfLiteModelDelete(TfLiteModel* model);
    }
}
