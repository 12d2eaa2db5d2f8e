using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    /// <summary>The few libc calls needed to format TFLite's printf-style reports and to capture its stderr.</summary>
    internal static unsafe partial class Libc
    {
        /// <summary>
        /// <paramref name="args"/> is the va_list exactly as TFLite handed it to the reporter:
        /// passing it straight through is correct on both x86-64 (array type) and AArch64 (by reference).
        /// </summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "vsnprintf")]
        internal static partial int VsnPrintf(byte* buffer, nuint size, byte* format, nint args);

        [LibraryImport(Libraries.Libc, EntryPoint = "dup", SetLastError = true)]
        internal static partial int Dup(int fd);

        [LibraryImport(Libraries.Libc, EntryPoint = "dup2", SetLastError = true)]
        internal static partial int Dup2(int oldFd, int newFd);

        [LibraryImport(Libraries.Libc, EntryPoint = "close")]
        internal static partial int Close(int fd);

        [LibraryImport(Libraries.Libc, EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int MemfdCreate(string name, uint flags);

        [LibraryImport(Libraries.Libc, EntryPoint = "pread", SetLastError = true)]
        internal static partial nint PRead(int fd, byte* buffer, nuint count, long offset);

        [LibraryImport(Libraries.Libc, EntryPoint = "lseek")]
        internal static partial long LSeek(int fd, long offset, int whence);

        [LibraryImport(Libraries.Libc, EntryPoint = "fflush")]
        internal static partial int FFlush(nint stream);

        internal const uint MFD_CLOEXEC = 1;
        internal const int SEEK_END = 2;
    }
}
