using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    /// <summary>
    /// libsoxr (Debian libsoxr0 0.1.3, <c>soxr.h</c>). Errors are <c>const char*</c> (null = success)
    /// pointing at static strings, so they are returned as raw pointers and never freed.
    /// </summary>
    internal static partial class Soxr
    {
        /// <summary><c>soxr_datatype_t</c> values used here (interleaved layouts).</summary>
        internal static class DataTypes
        {
            internal const int SOXR_FLOAT32_I = 0;
        }

        /// <summary>Quality recipes for <c>soxr_quality_spec</c>.</summary>
        internal static class Recipes
        {
            internal const uint SOXR_HQ = 4; // = SOXR_20_BITQ: more than float32 input from 16/24-bit sources carries
            internal const uint SOXR_VHQ = 6; // = SOXR_28_BITQ
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct soxr_io_spec_t
        {
            internal int itype;
            internal int otype;
            internal double scale;
            internal nint e;
            internal CULong flags; // unsigned long: 64-bit on Linux, 32-bit on Windows
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct soxr_quality_spec_t
        {
            internal double precision;
            internal double phase_response;
            internal double passband_end;
            internal double stopband_begin;
            internal nint e;
            internal CULong flags;
        }

        [LibraryImport(Libraries.Soxr)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial soxr_io_spec_t soxr_io_spec(int itype, int otype);

        [LibraryImport(Libraries.Soxr)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial soxr_quality_spec_t soxr_quality_spec(CULong recipe, CULong flags);

        /// <summary>The runtime spec is always null (library defaults: one thread).</summary>
        [LibraryImport(Libraries.Soxr)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static unsafe partial SafeSoxrHandle soxr_create(
            double input_rate, double output_rate, uint num_channels, nint* error,
            soxr_io_spec_t* io_spec, soxr_quality_spec_t* quality_spec, void* runtime_spec);

        /// <summary><paramref name="input"/> null means end of input: soxr then drains its filter.</summary>
        [LibraryImport(Libraries.Soxr)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static unsafe partial nint soxr_process(
            SafeSoxrHandle resampler, float* input, nuint ilen, nuint* idone, float* output, nuint olen, nuint* odone);

        [LibraryImport(Libraries.Soxr)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial double soxr_delay(SafeSoxrHandle resampler);

        /// <summary>Called only from <see cref="SafeSoxrHandle.ReleaseHandle"/>.</summary>
        [LibraryImport(Libraries.Soxr)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial void soxr_delete(nint resampler);
    }
}
