using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    internal static partial class SndFile
    {
        // Strings returned by libsndfile (sf_strerror, sf_version_string, format names) are static or
        // owned by the SNDFILE: they are returned as raw pointers, because a 'string' return would make
        // the marshaller free memory it does not own.

        [LibraryImport(Libraries.SndFile, StringMarshalling = StringMarshalling.Utf8)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static unsafe partial SafeSndFileHandle sf_open(string path, int mode, SF_INFO* sfinfo);

        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static unsafe partial SafeSndFileHandle sf_open_virtual(SF_VIRTUAL_IO* sfvirtual, int mode, SF_INFO* sfinfo, nint user_data);

        /// <summary>Called only from <see cref="SafeSndFileHandle.ReleaseHandle"/>.</summary>
        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int sf_close(nint sndfile);

        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int sf_error(SafeSndFileHandle sndfile);

        /// <summary>
        /// Pass 0: the error of the last failed open, a process-wide value in libsndfile. (The SafeHandle
        /// marshaller rejects null, hence the raw-pointer overloads for the calls that accept NULL.)
        /// </summary>
        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int sf_error(nint sndfile);

        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial nint sf_strerror(SafeSndFileHandle sndfile);

        /// <summary>Pass 0 for the message of the last failed open.</summary>
        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial nint sf_strerror(nint sndfile);

        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial nint sf_error_number(int errnum);

        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static unsafe partial int sf_command(SafeSndFileHandle sndfile, int command, void* data, int datasize);

        /// <summary>Pass 0 for library-wide commands such as <c>SFC_GET_FORMAT_INFO</c>.</summary>
        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static unsafe partial int sf_command(nint sndfile, int command, void* data, int datasize);

        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static unsafe partial int sf_format_check(SF_INFO* info);

        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial nint sf_version_string();

        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static unsafe partial long sf_readf_float(SafeSndFileHandle sndfile, float* ptr, long frames);

        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static unsafe partial long sf_writef_float(SafeSndFileHandle sndfile, float* ptr, long frames);

        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static unsafe partial long sf_writef_short(SafeSndFileHandle sndfile, short* ptr, long frames);

        [LibraryImport(Libraries.SndFile)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial void sf_write_sync(SafeSndFileHandle sndfile);
    }
}
