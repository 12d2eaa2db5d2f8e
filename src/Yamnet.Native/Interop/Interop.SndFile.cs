using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    /// <summary>
    /// Types and constants of libsndfile's <c>sndfile.h</c> (Debian libsndfile1 1.2.0). The values are
    /// the C ABI, so they are <c>const</c> fields with their native names rather than enums: libsndfile
    /// ORs major format, subtype and endianness into one <c>int</c>, which an enum cannot describe.
    /// </summary>
    internal static partial class SndFile
    {
        /// <summary>Major (container) formats, <c>SF_FORMAT_*</c> in the type mask.</summary>
        internal static class Formats
        {
            internal const int SF_FORMAT_WAV = 0x010000;
            internal const int SF_FORMAT_AIFF = 0x020000;
            internal const int SF_FORMAT_AU = 0x030000;
            internal const int SF_FORMAT_RAW = 0x040000;
            internal const int SF_FORMAT_W64 = 0x0B0000;
            internal const int SF_FORMAT_WAVEX = 0x130000;
            internal const int SF_FORMAT_FLAC = 0x170000;
            internal const int SF_FORMAT_CAF = 0x180000;
            internal const int SF_FORMAT_OGG = 0x200000;
            internal const int SF_FORMAT_RF64 = 0x220000;
            internal const int SF_FORMAT_MPEG = 0x230000;

            internal const int SF_FORMAT_PCM_S8 = 0x0001;
            internal const int SF_FORMAT_PCM_16 = 0x0002;
            internal const int SF_FORMAT_PCM_24 = 0x0003;
            internal const int SF_FORMAT_PCM_32 = 0x0004;
            internal const int SF_FORMAT_PCM_U8 = 0x0005;
            internal const int SF_FORMAT_FLOAT = 0x0006;
            internal const int SF_FORMAT_DOUBLE = 0x0007;
            internal const int SF_FORMAT_ULAW = 0x0010;
            internal const int SF_FORMAT_ALAW = 0x0011;
            internal const int SF_FORMAT_VORBIS = 0x0060;
            internal const int SF_FORMAT_OPUS = 0x0064;
            internal const int SF_FORMAT_MPEG_LAYER_I = 0x0080;
            internal const int SF_FORMAT_MPEG_LAYER_II = 0x0081;
            internal const int SF_FORMAT_MPEG_LAYER_III = 0x0082;

            internal const int SF_FORMAT_SUBMASK = 0x0000FFFF;
            internal const int SF_FORMAT_TYPEMASK = 0x0FFF0000;
            internal const int SF_FORMAT_ENDMASK = 0x30000000;
        }

        /// <summary><c>sf_open</c> modes.</summary>
        internal static class Modes
        {
            internal const int SFM_READ = 0x10;
            internal const int SFM_WRITE = 0x20;
        }

        /// <summary><c>sf_command</c> command numbers used by the project.</summary>
        internal static class Commands
        {
            internal const int SFC_GET_LOG_INFO = 0x1001;
            internal const int SFC_SET_NORM_FLOAT = 0x1013;
            internal const int SFC_GET_FORMAT_INFO = 0x1028;
            internal const int SFC_GET_FORMAT_MAJOR_COUNT = 0x1030;
            internal const int SFC_GET_FORMAT_MAJOR = 0x1031;
            internal const int SFC_SET_CLIPPING = 0x10C0;
            internal const int SFC_SET_VBR_ENCODING_QUALITY = 0x1300;
            internal const int SFC_SET_COMPRESSION_LEVEL = 0x1301;
        }

        /// <summary>The public error numbers; libsndfile's internal numbers above these share their meaning only loosely.</summary>
        internal static class Errors
        {
            internal const int SF_ERR_NO_ERROR = 0;
            internal const int SF_ERR_UNRECOGNISED_FORMAT = 1;
            internal const int SF_ERR_SYSTEM = 2;
            internal const int SF_ERR_MALFORMED_FILE = 3;
            internal const int SF_ERR_UNSUPPORTED_ENCODING = 4;
        }

        /// <summary><c>whence</c> values passed to the virtual seek callback (the C library's SEEK_*).</summary>
        internal static class Whence
        {
            internal const int SEEK_SET = 0;
            internal const int SEEK_CUR = 1;
            internal const int SEEK_END = 2;
        }

        /// <summary><c>SF_INFO</c>: filled by <c>sf_open</c> on read, supplied by the caller on write.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct SF_INFO
        {
            internal long frames; // sf_count_t is int64_t on every platform Debian builds
            internal int samplerate;
            internal int channels;
            internal int format;
            internal int sections;
            internal int seekable;
        }

        /// <summary><c>SF_FORMAT_INFO</c>: <c>name</c> and <c>extension</c> point at libsndfile's static strings (never freed).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct SF_FORMAT_INFO
        {
            internal int format;
            internal nint name;
            internal nint extension;
        }

        /// <summary>
        /// <c>SF_VIRTUAL_IO</c>: five C function pointers. <c>sf_open_virtual</c> copies the struct, so it
        /// may live on the caller's stack; only the <c>user_data</c> must stay valid until <c>sf_close</c>.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct SF_VIRTUAL_IO
        {
            internal delegate* unmanaged[Cdecl]<nint, long> get_filelen;
            internal delegate* unmanaged[Cdecl]<long, int, nint, long> seek;
            internal delegate* unmanaged[Cdecl]<void*, long, nint, long> read;
            internal delegate* unmanaged[Cdecl]<void*, long, nint, long> write;
            internal delegate* unmanaged[Cdecl]<nint, long> tell;
        }
    }
}
