using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Yamnet.Interop.Interop;

namespace Yamnet.TfLite;

/// <summary>
/// The native memory a model's flatbuffer lives in while TFLite runs from it (TfLiteModelCreate
/// does not copy). A private copy, not a mapping of the file: a model file truncated or rewritten
/// while it is in use would otherwise change bytes that were validated, or SIGBUS the process.
/// The copy costs one read; the memory is populated before the read so it does not take a page fault
/// per 4 KiB. A model of 2 MiB or more goes into transparent huge pages where the kernel offers them
/// (MADV_HUGEPAGE, then MADV_POPULATE_WRITE): YAMNet's 4 MB then costs two page faults instead of
/// ≈1000, each 4 KiB one zeroed and charged to the memory cgroup on its own — in `perf record` of the
/// NativeAOT seed command, populating and freeing the 4 KiB pages was ≈ 14 % of the process's cycles
/// (issue 16). Without huge pages (another kernel setting, an old kernel) it falls back to MAP_POPULATE.
/// Freed by its owner (<see cref="Yamnet.Interop.SafeTfLiteModelHandle"/>) once TFLite no longer uses it.
/// </summary>
internal sealed unsafe class ModelBuffer
{
    private const int ReadChunkBytes = 1 << 20;
    private const nuint HugePage = 2 << 20;
    private void* _memory;
    private readonly bool _mapped;
    private readonly nuint _mappedLength;

    private ModelBuffer(void* memory, int length, bool mapped, nuint mappedLength = 0)
    {
        _memory = memory;
        Length = length;
        _mapped = mapped;
        _mappedLength = mapped ? Math.Max(mappedLength, (nuint)length) : 0;
    }

    internal int Length { get; }

    internal void* Pointer => _memory;

    internal Span<byte> Span => new(_memory, Length);

    /// <summary>Uninitialised memory for <paramref name="length"/> bytes, page aligned (TFLite wants at least 16).</summary>
    internal static ModelBuffer Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if ((nuint)length >= HugePage && OperatingSystem.IsLinux() && InHugePages(length) is { } huge) return huge;
        void* mapped = Libc.MMap(null, (nuint)length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_POPULATE, -1, 0);
        if (mapped != (void*)-1 && mapped != null) return new ModelBuffer(mapped, length, mapped: true);
        // mmap refused (address-space limit, seccomp): the ordinary heap does the same job.
        return new ModelBuffer(NativeMemory.AlignedAlloc((nuint)length, 64), length, mapped: false);
    }

    /// <summary>
    /// <paramref name="length"/> bytes, 2 MiB aligned, whose whole 2 MiB pages are advised as huge and
    /// the rest (under 2 MiB) left in ordinary pages, then all populated; null when the kernel refuses
    /// any step (the caller falls back). Only the whole pages: rounding YAMNet's 4.13 MB up to three huge
    /// pages had the kernel zero 6 MiB, a third of it for 30 KB of model (issue 16's start-up).
    /// </summary>
    private static ModelBuffer? InHugePages(int length)
    {
        nuint page = (nuint)Environment.SystemPageSize;
        nuint huge = (nuint)length & ~(HugePage - 1);
        nuint size = huge + (((nuint)length - huge + page - 1) & ~(page - 1));
        byte* raw = (byte*)Libc.MMap(null, size + HugePage, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        if (raw == (byte*)-1 || raw == null) return null;
        byte* start = (byte*)(((nuint)raw + HugePage - 1) & ~(HugePage - 1));
        // Give back the slack on both sides of the aligned region.
        if (start > raw) Libc.MUnmap(raw, (nuint)(start - raw));
        nuint tail = (nuint)(raw + size + HugePage - (start + size));
        if (tail > 0) Libc.MUnmap(start + size, tail);
        if (Libc.MAdvise(start, huge, Libc.MADV_HUGEPAGE) != 0 || Libc.MAdvise(start, size, Libc.MADV_POPULATE_WRITE) != 0)
        {
            Libc.MUnmap(start, size);
            return null;
        }
        return new ModelBuffer(start, length, mapped: true, size);
    }

    /// <summary>A copy of <paramref name="bytes"/>.</summary>
    internal static ModelBuffer CopyOf(ReadOnlySpan<byte> bytes)
    {
        var buffer = Allocate(bytes.Length);
        bytes.CopyTo(buffer.Span);
        return buffer;
    }

    /// <summary>Reads the whole of <paramref name="file"/> (<paramref name="length"/> bytes) in 1 MiB reads, checking <paramref name="cancellationToken"/> between them (a model on a slow or network file system can take seconds).</summary>
    /// <exception cref="InvalidModelException">The file ended early (it shrank while being read).</exception>
    internal static ModelBuffer ReadAll(SafeFileHandle file, int length, string path, CancellationToken cancellationToken)
    {
        var buffer = Allocate(length);
        try
        {
            var span = buffer.Span;
            int done = 0;
            while (done < length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = RandomAccess.Read(file, span.Slice(done, Math.Min(ReadChunkBytes, length - done)), done);
                if (n == 0) throw new InvalidModelException($"{path}: the file shrank while it was read ({done} of {length} bytes)");
                done += n;
            }
            return buffer;
        }
        catch
        {
            buffer.Free();
            throw;
        }
    }

    /// <summary>Releases the memory; idempotent. Only once nothing (TFLite included) points into it.</summary>
    internal void Free()
    {
        void* memory = _memory;
        _memory = null;
        if (memory is null) return;
        if (_mapped) Libc.MUnmap(memory, _mappedLength);
        else NativeMemory.AlignedFree(memory);
    }
}
