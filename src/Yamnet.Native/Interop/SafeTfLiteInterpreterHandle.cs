using System.Runtime.InteropServices;

namespace Yamnet.Interop;

/// <summary>
/// An interpreter plus everything it borrows: it AddRefs the model and the delegate handles
/// (released only after TfLiteInterpreterDelete), and owns the GCHandle of its error sink,
/// whose address TFLite keeps as the reporter's user data.
/// </summary>
internal sealed unsafe class SafeTfLiteInterpreterHandle : SafeHandle
{
    private SafeHandle[] _dependencies = [];
    private GCHandle _sink;

    private SafeTfLiteInterpreterHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    internal Interop.TfLite.TfLiteInterpreter* Interpreter => (Interop.TfLite.TfLiteInterpreter*)handle;

    /// <summary>
    /// Creates the interpreter. The dependencies are AddRef'd before the native call so that a
    /// concurrent Dispose of the model or delegate cannot free them under it.
    /// </summary>
    internal static SafeTfLiteInterpreterHandle? Create(
        SafeTfLiteModelHandle model,
        SafeTfLiteInterpreterOptionsHandle options,
        GCHandle sink,
        IReadOnlyList<SafeHandle> delegates)
    {
        var deps = new List<SafeHandle>(delegates.Count + 1);
        try
        {
            foreach (var dep in delegates.Prepend(model))
            {
                bool added = false;
                dep.DangerousAddRef(ref added);
                deps.Add(dep);
            }
            var interpreter = Interop.TfLite.TfLiteInterpreterCreate(model.Model, options.Options);
            if (interpreter is null)
            {
                foreach (var d in deps) d.DangerousRelease();
                return null;
            }
            var h = new SafeTfLiteInterpreterHandle { _dependencies = deps.ToArray(), _sink = sink };
            h.SetHandle((nint)interpreter);
            return h;
        }
        catch
        {
            foreach (var d in deps) d.DangerousRelease();
            throw;
        }
    }

    protected override bool ReleaseHandle()
    {
        Interop.TfLite.TfLiteInterpreterDelete((Interop.TfLite.TfLiteInterpreter*)handle);
        foreach (var d in _dependencies) d.DangerousRelease();
        _dependencies = [];
        if (_sink.IsAllocated) _sink.Free();
        return true;
    }
}
