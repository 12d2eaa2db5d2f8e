using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    internal static unsafe partial class TfLite
    {
        // Element type as the raw c_api_types.h TfLiteType value; the public TensorType enum mirrors it.
        [LibraryImport(Libraries.TfLiteC)]
        internal static partial int TfLiteTensorType(TfLiteTensor* tensor);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial int TfLiteTensorNumDims(TfLiteTensor* tensor);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial int TfLiteTensorDim(TfLiteTensor* tensor, int dimIndex);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial nuint TfLiteTensorByteSize(TfLiteTensor* tensor);

        /// <summary>NULL before a successful AllocateTensors.</summary>
        [LibraryImport(Libraries.TfLiteC)]
        internal static partial void* TfLiteTensorData(TfLiteTensor* tensor);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial byte* TfLiteTensorName(TfLiteTensor* tensor);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteQuantizationParams TfLiteTensorQuantizationParams(TfLiteTensor* tensor);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteStatus TfLiteTensorCopyFromBuffer(TfLiteTensor* tensor, void* inputData, nuint inputDataSize);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteStatus TfLiteTensorCopyToBuffer(TfLiteTensor* outputTensor, void* outputData, nuint outputDataSize);
    }
}
