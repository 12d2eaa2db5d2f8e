using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Yamnet.Interop.Interop;

namespace Yamnet.TfLite;

/// <summary>
/// The native memory a model's flatbuffer lives in while TFLite runs from it (TfLiteModelCreate
/// does not copy). A private copy, not a mapping of the file: a model file truncated or rewritten
/// while it is in use would otherwise change bytes that were validated, or SIGBUS the process.
/// The copy costs one read; the memory is mapped pre-populated (MAP_POPULATE) so the read does not
/// take a page fault per 4 KiB (≈1000 for YAMNet, the larger part of the cost when faulted one by one).
/// Freed by its owner (<see cref="Yamnet.Interop.SafeTfLiteModelHandle"/>) once TFLite no longer uses it.
/// </summary>
internal sealed unsafe class ModelBuffer
{
    private const int ReadChunkBytes = 1 << 20;
    private void* _memory;
    private readonly bool _mapped;

    private ModelBuffer(void* memory, int length, bool mapped)
    {
        _memory = memory;
        Length = length;
        _mapped = mapped;
    }

    internal int Length { get; }

    internal void* Pointer => _memory;

    internal Span<byte> Span => new(_memory, Length);

    /// <summary>Uninitialised memory for <paramref name="length"/> bytes, page aligned (TFLite wants at least 16).</summary>
    internal static ModelBuffer Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        void* mapped = Libc.MMap(null, (nuint)length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_POPULATE, -1, 0);
        if (mapped != (void*)-1 && mapped != null) return new ModelBuffer(mapped, length, mapped: true);
        // mmap refused (address-space limit, seccomp): the ordinary heap does the same job.
        return new ModelBuffer(NativeMemory.AlignedAlloc((nuint)length, 64), length, mapped: false);
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
        if (_mapped) Libc.MUnmap(memory, (nuint)Length);
        else NativeMemory.AlignedFree(memory);
    }
}
