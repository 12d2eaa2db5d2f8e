using System.Globalization;
using Microsoft.Win32.SafeHandles;
using static Yamnet.Interop.Interop;

namespace Yamnet.TfLite;

/// <summary>
/// Which file, and which version of it: device, inode, size, modification and status-change times
/// (nanoseconds). Any write, truncation, rename over or metadata change moves the ctime, which no
/// unprivileged process can set back, so an unchanged identity means unchanged bytes (git's index
/// trusts the same fields). Lets a model's SHA-256 be remembered instead of recomputed on every run.
/// </summary>
internal readonly record struct ModelFileIdentity(uint DeviceMajor, uint DeviceMinor, ulong Inode, ulong Size, long ModifiedSeconds, uint ModifiedNanoseconds, long ChangedSeconds, uint ChangedNanoseconds)
{
    /// <summary>The identity of the open file, or null when the kernel cannot say (no statx, or fields missing).</summary>
    internal static unsafe ModelFileIdentity? Of(SafeFileHandle file)
    {
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            Libc.StatxBuffer st;
            if (Libc.Statx((int)file.DangerousGetHandle(), "", Libc.AT_EMPTY_PATH, Libc.STATX_BASIC_STATS, &st) != 0) return null;
            const uint needed = 0x1 /* type */ | 0x40 /* mtime */ | 0x80 /* ctime */ | 0x100 /* ino */ | 0x200 /* size */;
            if ((st.Mask & needed) != needed || (st.Mode & 0xF000) != 0x8000 /* regular file */) return null;
            return new ModelFileIdentity(st.DevMajor, st.DevMinor, st.Inode, st.Size,
                st.ModifyTime.Seconds, st.ModifyTime.Nanoseconds, st.ChangeTime.Seconds, st.ChangeTime.Nanoseconds);
        }
        catch (EntryPointNotFoundException)
        {
            return null; // a libc without statx: nothing is cached, every digest is computed
        }
        finally
        {
            if (added) file.DangerousRelease();
        }
    }

    /// <summary>
    /// True when the last change is at least 2 s old. File times come from a coarse kernel clock, so a
    /// file rewritten twice within one tick (same size) could keep its identity; a digest is only
    /// remembered for a file that has been left alone for longer than any tick ("racy git").
    /// </summary>
    internal bool IsSettled => IsSettledAt(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    /// <summary><see cref="IsSettled"/> at a given time (Unix seconds).</summary>
    internal bool IsSettledAt(long nowUnixSeconds) => nowUnixSeconds - ChangedSeconds >= 2;

    /// <summary>A file name for this file (device and inode): one cache entry per file, replaced when the file changes.</summary>
    internal string FileKey => string.Create(CultureInfo.InvariantCulture, $"{DeviceMajor}.{DeviceMinor}-{Inode}");

    /// <summary>The version fields, as stored beside the digest.</summary>
    internal string VersionText => string.Create(CultureInfo.InvariantCulture,
        $"{Size} {ModifiedSeconds}.{ModifiedNanoseconds:D9} {ChangedSeconds}.{ChangedNanoseconds:D9}");
}
