using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    /// <summary>
    /// alsa-lib (Debian libasound2 1.2.x, <c>include/pcm.h</c>, <c>include/error.h</c>): just the
    /// capture path — open, negotiate hw params, read interleaved frames, recover, close.
    /// Every call returns a negative errno on failure; <see cref="snd_strerror"/> turns it into text.
    /// <c>snd_pcm_uframes_t</c>/<c>snd_pcm_sframes_t</c> are <c>unsigned long</c>/<c>long</c>, which are
    /// pointer-sized on every Linux ABI, hence <c>nuint</c>/<c>nint</c>.
    /// </summary>
    internal static unsafe partial class Alsa
    {
        /// <summary><c>snd_pcm_stream_t</c>.</summary>
        internal static class Streams
        {
            internal const int SND_PCM_STREAM_CAPTURE = 1;
        }

        /// <summary><c>snd_pcm_open</c> mode bits.</summary>
        internal static class OpenModes
        {
            /// <summary>Reads return -EAGAIN instead of blocking, so the capture loop can wait with a timeout and notice a stop request.</summary>
            internal const int SND_PCM_NONBLOCK = 0x1;
        }

        /// <summary><c>snd_pcm_access_t</c> (only the value used here; the enum has more).</summary>
        internal static class Access
        {
            internal const int SND_PCM_ACCESS_RW_INTERLEAVED = 3;
        }

        /// <summary><c>snd_pcm_format_t</c> (only the value used here).</summary>
        internal static class Formats
        {
            internal const int SND_PCM_FORMAT_S16_LE = 2;
        }

        /// <summary>errno values alsa-lib returns (negated) that the capture loop treats specially.</summary>
        internal static class Errors
        {
            internal const int EPERM = 1;
            internal const int ENOENT = 2;
            internal const int EINTR = 4;
            internal const int EIO = 5;
            internal const int ENXIO = 6;
            internal const int EAGAIN = 11;
            internal const int EACCES = 13;
            internal const int EBUSY = 16;
            internal const int ENODEV = 19;
            internal const int EINVAL = 22;
            /// <summary>Overrun (xrun): the ring buffer filled before we read it.</summary>
            internal const int EPIPE = 32;
            /// <summary>The stream was suspended (power management).</summary>
            internal const int ESTRPIPE = 86;
        }

        [LibraryImport(Libraries.Alsa, StringMarshalling = StringMarshalling.Utf8)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_open(out SafeAlsaPcmHandle pcm, string name, int stream, int mode);

        /// <summary>Called only from <see cref="SafeAlsaPcmHandle.ReleaseHandle"/>.</summary>
        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_close(nint pcm);

        // snd_pcm_hw_params_t is an opaque, heap-allocated parameter set that lives only for the few
        // calls of one negotiation; the caller frees it in a finally, so it gets no SafeHandle.
        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_hw_params_malloc(nint* parameters);

        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial void snd_pcm_hw_params_free(nint parameters);

        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_hw_params_any(SafeAlsaPcmHandle pcm, nint parameters);

        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_hw_params_set_access(SafeAlsaPcmHandle pcm, nint parameters, int access);

        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_hw_params_set_format(SafeAlsaPcmHandle pcm, nint parameters, int format);

        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_hw_params_set_channels(SafeAlsaPcmHandle pcm, nint parameters, uint channels);

        /// <summary>Picks the supported channel count nearest <paramref name="channels"/> and writes it back.</summary>
        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_hw_params_set_channels_near(SafeAlsaPcmHandle pcm, nint parameters, uint* channels);

        /// <summary>Picks the supported rate nearest <paramref name="rate"/> and writes it back; <paramref name="dir"/> is the sub-unit direction (ignored here).</summary>
        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_hw_params_set_rate_near(SafeAlsaPcmHandle pcm, nint parameters, uint* rate, int* dir);

        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_hw_params_set_period_size_near(SafeAlsaPcmHandle pcm, nint parameters, nuint* frames, int* dir);

        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_hw_params_set_buffer_size_near(SafeAlsaPcmHandle pcm, nint parameters, nuint* frames);

        /// <summary>Installs the parameters and leaves the PCM prepared.</summary>
        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_hw_params(SafeAlsaPcmHandle pcm, nint parameters);

        /// <summary>Frames read (interleaved), or a negative errno: -EAGAIN (non-blocking, nothing yet), -EPIPE (overrun), -ESTRPIPE (suspended), -ENODEV (gone).</summary>
        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial nint snd_pcm_readi(SafeAlsaPcmHandle pcm, void* buffer, nuint frames);

        /// <summary>Recovers from -EINTR, -EPIPE and -ESTRPIPE (re-prepares the stream); returns the error back for anything else.</summary>
        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_recover(SafeAlsaPcmHandle pcm, int error, int silent);

        /// <summary>1 when frames are ready, 0 on timeout, or a negative errno (an xrun or a vanished device shows up here too).</summary>
        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_pcm_wait(SafeAlsaPcmHandle pcm, int timeoutMilliseconds);

        /// <summary>A static English string; never freed.</summary>
        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial byte* snd_strerror(int error);

        /// <summary>
        /// Replaces alsa-lib's default error printer (which writes "ALSA lib pcm.c:NNNN:(...)" lines to
        /// stderr). The handler type is variadic, <c>void (*)(const char *file, int line, const char
        /// *function, int err, const char *fmt, ...)</c>; a callee that ignores the variadic part is
        /// safe on the SysV x86-64 and AAPCS64 ABIs. Null restores the default printer.
        /// </summary>
        [LibraryImport(Libraries.Alsa)]
        [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
        internal static partial int snd_lib_error_set_handler(delegate* unmanaged[Cdecl]<byte*, int, byte*, int, byte*, void> handler);
    }
}
