using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    internal static partial class TfLite
    {
        /// <summary>
        /// TFLite 2.9 <c>TfLiteXNNPackDelegateOptions</c> as the 2.9.0 prebuilt (npm tfjs-tflite-node@0.0.2)
        /// was compiled: 8 bytes, {num_threads, flags}, with no weights_cache field. The prebuilt ships no
        /// xnnpack_delegate.h, so this is read off the binary: its OptionsDefault is `xor eax,eax; ret`
        /// (x64) / `mov x0,#0; ret` (arm64), i.e. the struct comes back in one register, and
        /// TfLiteXNNPackDelegateCreate copies exactly 8 bytes from the pointer. (Declaring a third,
        /// pointer-sized field, as this project once did, read a garbage register into it.)
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct XnnPackOptionsV2_9
        {
            internal int NumThreads;
            internal uint Flags;
        }

        /// <summary>
        /// TFLite 2.19 <c>TfLiteXNNPackDelegateOptions</c> (64 bytes; tflite/delegates/xnnpack/xnnpack_delegate.h
        /// of LiteRT v2.2.0): <c>runtime_flags</c> was inserted after <c>num_threads</c>, so a 2.9
        /// struct handed to 2.19 puts the flags in the wrong field and the rest is read past its end.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct XnnPackOptionsV2_19
        {
            internal int NumThreads;
            internal uint RuntimeFlags;
            internal uint Flags;
            internal nint WeightsCache;
            internal byte HandleVariableOps;          // C bool, deprecated
            internal nint WeightCacheFilePath;         // const char*
            internal int WeightCacheFileDescriptor;    // -1 by default
            internal nint WeightCacheProvider;
            internal byte WeightCacheLockMemory;       // C bool
        }

        internal static class XnnPackFlags
        {
            internal const uint Qs8 = 1;
            internal const uint Qu8 = 2;
        }
    }
}
