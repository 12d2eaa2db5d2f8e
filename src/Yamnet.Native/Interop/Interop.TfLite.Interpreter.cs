using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    internal static unsafe partial class TfLite
    {
        /// <summary>Copies the options; the model and any delegates must outlive the interpreter.</summary>
        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteInterpreter* TfLiteInterpreterCreate(TfLiteModel* model, TfLiteInterpreterOptions* optionalOptions);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial void TfLiteInterpreterDelete(TfLiteInterpreter* interpreter);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial int TfLiteInterpreterGetInputTensorCount(TfLiteInterpreter* interpreter);

        /// <summary>Unchecked index: an out-of-range value reads past a vector.</summary>
        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteTensor* TfLiteInterpreterGetInputTensor(TfLiteInterpreter* interpreter, int inputIndex);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteStatus TfLiteInterpreterResizeInputTensor(TfLiteInterpreter* interpreter, int inputIndex, int* inputDims, int inputDimsSize);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteStatus TfLiteInterpreterAllocateTensors(TfLiteInterpreter* interpreter);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteStatus TfLiteInterpreterInvoke(TfLiteInterpreter* interpreter);

        [LibraryImport(Libraries.TfLiteC)]
        internal static partial int TfLiteInterpreterGetOutputTensorCount(TfLiteInterpreter* interpreter);

        /// <summary>Unchecked index, like the input variant.</summary>
        [LibraryImport(Libraries.TfLiteC)]
        internal static partial TfLiteTensor* TfLiteInterpreterGetOutputTensor(TfLiteInterpreter* interpreter, int outputIndex);
    }
}
