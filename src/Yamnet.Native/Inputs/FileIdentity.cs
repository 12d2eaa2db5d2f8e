using System.Runtime.InteropServices;
using static Yamnet.Interop.Interop.Libc;

namespace Yamnet.Inputs;

/// <summary>
/// A file's identity (device and inode) and kind, from statx(2). Two paths with the same identity
/// are the same file or directory: a directory walk keeps a set of them so a symlink loop is entered
/// once. A FIFO or character device is a stream, read forward only.
/// </summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode, FileKind Kind, long Size)
{
    /// <summary>
    /// Reads <paramref name="path"/>'s status (through symlinks unless <paramref name="followLinks"/> is false);
    /// false with the errno when it cannot (missing, permission, dangling link).
    /// </summary>
    public static unsafe bool TryGet(string path, bool followLinks, out FileIdentity identity, out int errno)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte* buffer = stackalloc byte[StatxLayout.Size];
        new Span<byte>(buffer, StatxLayout.Size).Clear();
        int rc = Interop.Interop.Libc.Statx(StatxLayout.AtFdCwd, path, followLinks ? 0 : StatxLayout.AtSymlinkNoFollow, StatxLayout.BasicStats, buffer);
        if (rc != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            identity = default;
            return false;
        }
        var b = new ReadOnlySpan<byte>(buffer, StatxLayout.Size);
        ushort mode = MemoryMarshal.Read<ushort>(b[StatxLayout.ModeOffset..]);
        ulong ino = MemoryMarshal.Read<ulong>(b[StatxLayout.InodeOffset..]);
        long size = MemoryMarshal.Read<long>(b[StatxLayout.SizeOffset..]);
        uint major = MemoryMarshal.Read<uint>(b[StatxLayout.DevMajorOffset..]);
        uint minor = MemoryMarshal.Read<uint>(b[StatxLayout.DevMinorOffset..]);
        errno = 0;
        identity = new FileIdentity(((ulong)major << 32) | minor, ino, KindOf(mode), size);
        return true;
    }

    /// <summary>The kind of <paramref name="path"/> (following links), or null when it cannot be read.</summary>
    public static FileKind? KindOf(string path) => TryGet(path, followLinks: true, out var id, out _) ? id.Kind : null;

    private static FileKind KindOf(ushort mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Other,
    };
}
