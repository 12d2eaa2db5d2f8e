using System.Runtime.InteropServices;

namespace Yamnet.Interop;

/// <summary>
/// Owns a TfLiteModel and the native copy of its flatbuffer. TfLiteModelCreate does not copy the
/// bytes, so they live in native memory owned here and are freed only after the model is deleted;
/// interpreters AddRef this handle, so the bytes outlive every interpreter too.
/// </summary>
internal sealed unsafe class SafeTfLiteModelHandle : SafeHandle
{
    private void* _buffer;

    private SafeTfLiteModelHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    internal Interop.TfLite.TfLiteModel* Model => (Interop.TfLite.TfLiteModel*)handle;

    /// <summary>Copies <paramref name="bytes"/> into 64-byte aligned native memory and creates the model over it; null when TFLite rejects it.</summary>
    internal static SafeTfLiteModelHandle? Create(ReadOnlySpan<byte> bytes)
    {
        _ = TfLiteAbi.Current; // refuses a TFLite version whose ABI is unknown before anything is built on it
        void* buffer = NativeMemory.AlignedAlloc((nuint)bytes.Length, 64);
        try
        {
            bytes.CopyTo(new Span<byte>(buffer, bytes.Length));
            var model = Interop.TfLite.TfLiteModelCreate(buffer, (nuint)bytes.Length);
            if (model is null)
            {
                NativeMemory.AlignedFree(buffer);
                return null;
            }
            var result = new SafeTfLiteModelHandle { _buffer = buffer };
            result.SetHandle((nint)model);
            return result;
        }
        catch
        {
            NativeMemory.AlignedFree(buffer);
            throw;
        }
    }

    protected override bool ReleaseHandle()
    {
        Interop.TfLite.TfLiteModelDelete((Interop.TfLite.TfLiteModel*)handle);
        NativeMemory.AlignedFree(_buffer);
        _buffer = null;
        return true;
    }
}
