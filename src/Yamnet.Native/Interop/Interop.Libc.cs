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

        [LibraryImport(Libraries.Libc, EntryPoint = "write", SetLastError = true)]
        internal static partial nint Write(int fd, byte* buffer, nuint count);

        [LibraryImport(Libraries.Libc, EntryPoint = "fcntl", SetLastError = true)]
        internal static partial int FcntlInt(int fd, int command, int argument);

        /// <summary>dlopen(3): used instead of NativeLibrary.TryLoad so a failure can be explained with dlerror's text.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint DlOpen(string path, int flags);

        [LibraryImport(Libraries.Libc, EntryPoint = "dlerror")]
        internal static partial byte* DlError();

        [LibraryImport(Libraries.Libc, EntryPoint = "dladdr")]
        internal static partial int DlAddr(nint address, DlInfo* info);

        [StructLayout(LayoutKind.Sequential)]
        internal struct DlInfo
        {
            internal byte* FileName;
            internal nint FileBase;
            internal byte* SymbolName;
            internal nint SymbolAddress;
        }

        internal const int RTLD_LAZY = 1;
        internal const int F_DUPFD_CLOEXEC = 1030;
        internal const int EINTR = 4;
        internal const uint MFD_CLOEXEC = 1;
        internal const int SEEK_END = 2;
    }
}
