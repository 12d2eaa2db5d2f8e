using Yamnet.TfLite;

namespace Yamnet.Interop;

/// <summary>
/// Owns a TfLiteModel and the native buffer of its flatbuffer. TfLiteModelCreate does not copy the
/// bytes, so the buffer is freed only after the model is deleted; interpreters AddRef this handle,
/// so the bytes outlive every interpreter too.
/// </summary>
internal sealed unsafe class SafeTfLiteModelHandle : System.Runtime.InteropServices.SafeHandle
{
    private ModelBuffer? _buffer;

    private SafeTfLiteModelHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    internal Interop.TfLite.TfLiteModel* Model => (Interop.TfLite.TfLiteModel*)handle;

    /// <summary>Creates the model over <paramref name="buffer"/> and takes it over (frees it on release); null, with the buffer freed, when TFLite rejects it.</summary>
    internal static SafeTfLiteModelHandle? Create(ModelBuffer buffer)
    {
        try
        {
            _ = TfLiteAbi.Current; // refuses a TFLite version whose ABI is unknown before anything is built on it
            var model = Interop.TfLite.TfLiteModelCreate(buffer.Pointer, (nuint)buffer.Length);
            if (model is null)
            {
                buffer.Free();
                return null;
            }
            var result = new SafeTfLiteModelHandle { _buffer = buffer };
            result.SetHandle((nint)model);
            return result;
        }
        catch
        {
            buffer.Free();
            throw;
        }
    }

    protected override bool ReleaseHandle()
    {
        Interop.TfLite.TfLiteModelDelete((Interop.TfLite.TfLiteModel*)handle);
        _buffer?.Free();
        _buffer = null;
        return true;
    }
}
