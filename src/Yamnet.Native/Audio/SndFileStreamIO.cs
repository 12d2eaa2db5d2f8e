using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Yamnet.Interop;
using SndFile = Yamnet.Interop.Interop.SndFile;

namespace Yamnet.Audio;

/// <summary>
/// libsndfile virtual I/O over a seekable .NET <see cref="Stream"/>. The callbacks are static
/// <c>[UnmanagedCallersOnly]</c> methods (no delegates to keep alive); the instance reaches them
/// through a <see cref="GCHandle"/> in <c>user_data</c>, which <see cref="SafeSndFileHandle"/> frees after
/// <c>sf_close</c>. No exception may cross into native code: a failure is stored in
/// <see cref="Failure"/>, libsndfile sees a short read or -1, and the managed caller rethrows.
/// </summary>
internal sealed class SndFileStreamIO
{
    private readonly Stream _stream;
    private readonly long _origin; // libsndfile sees the stream from its position at open as offset 0

    internal SndFileStreamIO(Stream stream)
    {
        _stream = stream;
        _origin = stream.Position;
    }

    /// <summary>The stream position libsndfile sees as offset 0.</summary>
    internal long Origin => _origin;

    /// <summary>The first exception thrown by the stream inside a callback, if any.</summary>
    internal Exception? Failure { get; private set; }

    internal static unsafe SndFile.SF_VIRTUAL_IO Table => new()
    {
        get_filelen = &GetFileLength,
        seek = &Seek,
        read = &Read,
        write = &Write,
        tell = &Tell,
    };

    private static SndFileStreamIO From(nint userData) => (SndFileStreamIO)GCHandle.FromIntPtr(userData).Target!;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long GetFileLength(nint userData)
    {
        var io = From(userData);
        try
        {
            return Math.Max(0, io._stream.Length - io._origin);
        }
        catch (Exception e)
        {
            io.Failure ??= e;
            return -1;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long Seek(long offset, int whence, nint userData)
    {
        var io = From(userData);
        try
        {
            long target = whence switch
            {
                SndFile.Whence.SEEK_SET => io._origin + offset,
                SndFile.Whence.SEEK_CUR => io._stream.Position + offset,
                SndFile.Whence.SEEK_END => io._stream.Length + offset,
                _ => -1,
            };
            // A seek before the start is an error in C; Stream would throw, so answer like lseek does.
            if (target < io._origin) return -1;
            io._stream.Position = target;
            return target - io._origin;
        }
        catch (Exception e)
        {
            io.Failure ??= e;
            return -1;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe long Read(void* ptr, long count, nint userData)
    {
        var io = From(userData);
        if (count <= 0 || io.Failure is not null) return 0;
        try
        {
            // libsndfile issues one read per request and treats a short count as end of file, so fill
            // the request completely unless the stream really ends (Stream.Read may return less).
            long total = 0;
            while (total < count)
            {
                int chunk = (int)Math.Min(count - total, 1 << 20);
                int n = io._stream.Read(new Span<byte>((byte*)ptr + total, chunk));
                if (n <= 0) break;
                total += n;
            }
            return total;
        }
        catch (Exception e)
        {
            io.Failure ??= e;
            return 0;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe long Write(void* ptr, long count, nint userData)
    {
        var io = From(userData);
        if (count <= 0 || io.Failure is not null) return 0;
        try
        {
            long total = 0;
            while (total < count)
            {
                int chunk = (int)Math.Min(count - total, 1 << 20);
                io._stream.Write(new ReadOnlySpan<byte>((byte*)ptr + total, chunk));
                total += chunk;
            }
            return total;
        }
        catch (Exception e)
        {
            io.Failure ??= e;
            return 0;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long Tell(nint userData)
    {
        var io = From(userData);
        try
        {
            return io._stream.Position - io._origin;
        }
        catch (Exception e)
        {
            io.Failure ??= e;
            return -1;
        }
    }
}
