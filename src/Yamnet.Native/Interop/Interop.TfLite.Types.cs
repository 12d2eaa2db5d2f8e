using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    internal static partial class TfLite
    {
        // Opaque native types: typed pointers let the compiler catch a model passed where an
        // interpreter is expected, which a bare nint would not.
        internal struct TfLiteModel { }
        internal struct TfLiteInterpreterOptions { }
        internal struct TfLiteInterpreter { }
        internal struct TfLiteTensor { }
        internal struct TfLiteDelegate { }

        /// <summary>c_api_types.h TfLiteStatus (2.9).</summary>
        internal enum TfLiteStatus
        {
            Ok = 0,
            Error = 1,
            DelegateError = 2,
            ApplicationError = 3,
            DelegateDataNotFound = 4,
            DelegateDataWriteError = 5,
            DelegateDataReadError = 6,
            UnresolvedOps = 7,
        }

        /// <summary>c_api_types.h TfLiteQuantizationParams: the legacy per-tensor affine parameters.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct TfLiteQuantizationParams
        {
            internal float Scale;
            internal int ZeroPoint;
        }
    }
}
