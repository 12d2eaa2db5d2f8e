using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        /// <summary>
        /// statx(2): chosen over stat(2) because <c>struct statx</c> has one layout on every Linux
        /// architecture (struct stat differs between x86-64 and AArch64), so it is read at fixed offsets.
        /// </summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

        internal static class StatxLayout
        {
            internal const int AtFdCwd = -100;
            internal const int AtSymlinkNoFollow = 0x100;
            internal const uint BasicStats = 0x7ff;
            internal const int Size = 256;
            internal const int ModeOffset = 28;   // __u16 stx_mode
            internal const int InodeOffset = 32;  // __u64 stx_ino
            internal const int SizeOffset = 40;   // __u64 stx_size
            internal const int DevMajorOffset = 136;
            internal const int DevMinorOffset = 140;
        }
    }
}
