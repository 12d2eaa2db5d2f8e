using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    internal static unsafe partial class Libc
    {
        internal const int AT_EMPTY_PATH = 0x1000;
        internal const int PROT_READ = 1, PROT_WRITE = 2;
        internal const int MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MAP_POPULATE = 0x8000;

        [LibraryImport(Libraries.Libc, EntryPoint = "mmap", SetLastError = true)]
        internal static partial void* MMap(void* address, nuint length, int protection, int flags, int fd, long offset);

        [LibraryImport(Libraries.Libc, EntryPoint = "munmap", SetLastError = true)]
        internal static partial int MUnmap(void* address, nuint length);

        internal const int MADV_HUGEPAGE = 14, MADV_POPULATE_WRITE = 23;

        [LibraryImport(Libraries.Libc, EntryPoint = "madvise", SetLastError = true)]
        internal static partial int MAdvise(void* address, nuint length, int advice);

        internal const uint STATX_BASIC_STATS = 0x7ff;

        /// <summary>
        /// statx(2): used instead of fstat because its struct is the same on every architecture
        /// (struct stat differs between x86-64 and arm64), and it gives the inode and ctime .NET does not expose.
        /// </summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int Statx(int dirFd, string path, int flags, uint mask, StatxBuffer* buffer);

        [StructLayout(LayoutKind.Sequential)]
        internal struct StatxTimestamp
        {
            internal long Seconds;
            internal uint Nanoseconds;
            private int _reserved;
        }

        /// <summary>struct statx (linux/stat.h): fixed 256 bytes.</summary>
        [StructLayout(LayoutKind.Sequential, Size = 256)]
        internal struct StatxBuffer
        {
            internal uint Mask;
            internal uint BlockSize;
            internal ulong Attributes;
            internal uint LinkCount;
            internal uint Uid;
            internal uint Gid;
            internal ushort Mode;
            private ushort _spare0;
            internal ulong Inode;
            internal ulong Size;
            internal ulong Blocks;
            internal ulong AttributesMask;
            internal StatxTimestamp AccessTime;
            internal StatxTimestamp BirthTime;
            internal StatxTimestamp ChangeTime;
            internal StatxTimestamp ModifyTime;
            internal uint RdevMajor;
            internal uint RdevMinor;
            internal uint DevMajor;
            internal uint DevMinor;
        }
    }
}
