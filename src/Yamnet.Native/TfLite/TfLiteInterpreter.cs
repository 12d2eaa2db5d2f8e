using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Yamnet.Interop;
using Yamnet.Logging;
using static Yamnet.Interop.Interop.TfLite;
using NativeInterpreter = Yamnet.Interop.Interop.TfLite.TfLiteInterpreter;
using NativeTensor = Yamnet.Interop.Interop.TfLite.TfLiteTensor;

namespace Yamnet.TfLite;

/// <summary>
/// One TFLite interpreter over a shared <see cref="TfLiteModel"/>. Not thread-safe: use one per
/// thread (see <see cref="Classification.AudioClassifier.RentSession"/>). Every native call is guarded here, because TFLite
/// 2.9 does not check its arguments: out-of-range tensor indices, NULL tensor data before
/// allocation and non-finite input are refused in managed code first.
/// </summary>
public sealed unsafe class TfLiteInterpreter : IDisposable
{
    private readonly TfLiteModel _model;
    private readonly SafeTfLiteInterpreterHandle _handle;
    private readonly SafeXnnPackDelegateHandle? _delegate;
    private readonly TfLiteErrorSink _sink;
    private readonly ILogger _tfliteLog;
    private readonly TensorSlot[] _inputs;
    private readonly TensorSlot[] _outputs;
    private bool _allocated;
    private volatile bool _disposed;
    private int _generation;

    private struct TensorSlot
    {
        internal NativeTensor* Tensor;
        internal void* Data;
        internal nuint ByteSize;
        internal TensorType Type;
    }

    private TfLiteInterpreter(TfLiteModel model, SafeTfLiteInterpreterHandle handle, SafeXnnPackDelegateHandle? @delegate, TfLiteErrorSink sink, TfLiteInterpreterOptions options, ILogger tfliteLog)
    {
        _tfliteLog = tfliteLog;
        _model = model;
        _handle = handle;
        _delegate = @delegate;
        _sink = sink;
        Options = options;
        _inputs = new TensorSlot[TfLiteInterpreterGetInputTensorCount(handle.Interpreter)];
        _outputs = new TensorSlot[TfLiteInterpreterGetOutputTensorCount(handle.Interpreter)];
    }

    public TfLiteModel Model => _model;

    public TfLiteInterpreterOptions Options { get; }

    public int InputCount => _inputs.Length;

    public int OutputCount => _outputs.Length;

    /// <summary>True after a successful <see cref="AllocateTensors"/> and until the next resize.</summary>
    public bool IsAllocated => _allocated;

    /// <summary>True once <see cref="Dispose"/> ran (a session pool never takes such an interpreter back).</summary>
    internal bool IsDisposed => _disposed;

    /// <summary>
    /// Builds an interpreter for <paramref name="model"/> and allocates its tensors, so it is
    /// ready to <see cref="Invoke"/>. The XNNPACK delegate, if any, belongs to this interpreter.
    /// With XNNPACK, a self-check (<see cref="TfLiteRuntime.XnnPackSelfCheck"/>) may find that XNNPACK
    /// computes wrong results on this CPU; the interpreter then uses the builtin kernels instead
    /// (<see cref="Options"/> says so, and the log tells why).
    /// </summary>
    public static TfLiteInterpreter Create(TfLiteModel model, TfLiteInterpreterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= TfLiteInterpreterOptions.Default;
        // A model XNNPACK would abort the process on (and that cannot be padded) runs on the builtin kernels.
        if (options.Delegate == DelegateKind.XnnPack
            && model.ForXnnPack(ContainedLogger.Create(options.LoggerFactory ?? model.LoggerFactory, YamnetLogCategories.Interpreter)).Handle is null)
            options = options with { Delegate = DelegateKind.None };
        var interpreter = CreateCore(model, options);
        if (options.Delegate != DelegateKind.XnnPack || !XnnPackSelfCheck.IsNeeded(options.XnnPackSelfCheck ?? TfLiteRuntime.XnnPackSelfCheck)) return interpreter;
        bool passes;
        try
        {
            passes = XnnPackSelfCheck.Passes(model, interpreter, options, CreateCore);
        }
        catch
        {
            interpreter.Dispose();
            throw;
        }
        if (passes) return interpreter;
        interpreter.Dispose();
        return CreateCore(model, options with { Delegate = DelegateKind.None });
    }

    private static TfLiteInterpreter CreateCore(TfLiteModel model, TfLiteInterpreterOptions options)
    {
        int threads = options.EffectiveThreads;
        var factory = options.LoggerFactory ?? model.LoggerFactory;
        var tfliteLog = ContainedLogger.Create(factory, YamnetLogCategories.TfLite);
        var log = ContainedLogger.Create(factory, YamnetLogCategories.Interpreter);
        var modelHandle = options.Delegate == DelegateKind.XnnPack
            ? model.ForXnnPack(log).Handle ?? throw new TfLiteDelegateException($"{model.Source}: XNNPACK cannot run this model on this CPU")
            : model.Handle;
        // With a shared weights cache (2.19), the first interpreter sharing it fills it and must finalize it
        // before any interpreter runs (XNNPACK refuses to set up operators over an unfinalized
        // cache); later ones only look their packed weights up. Others wait while it fills.
        // The first XNNPACK interpreter of a model (and flags) packs privately: see XnnPackWeightsCaches.IsFirstInterpreter.
        var shared = options.Delegate == DelegateKind.XnnPack && options.ShareXnnPackWeights && !model.XnnPackWeights.IsFirstInterpreter((uint)options.XnnPackFlags)
            ? model.XnnPackWeights.For((uint)options.XnnPackFlags)
            : null;
        bool filling = false;
        if (shared is { Finalized: false })
        {
            Monitor.Enter(shared.FillGate);
            filling = !shared.Finalized;
            if (!filling) Monitor.Exit(shared.FillGate);
        }

        var sink = new TfLiteErrorSink();
        var sinkHandle = GCHandle.Alloc(sink);
        SafeXnnPackDelegateHandle? xnn = null;
        SafeTfLiteInterpreterHandle? interpreter = null;
        try
        {
            using var nativeOptions = SafeTfLiteInterpreterOptionsHandle.Create();
            TfLiteInterpreterOptionsSetNumThreads(nativeOptions.Options, threads);
            TfLiteInterpreterOptionsSetErrorReporter(nativeOptions.Options, &TfLiteErrorSink.Report, (void*)GCHandle.ToIntPtr(sinkHandle));
            if (options.Delegate == DelegateKind.XnnPack)
            {
                xnn = NativeStderr.Run(() => SafeXnnPackDelegateHandle.Create(threads, (uint)options.XnnPackFlags, shared?.Handle), out var delegateOutput);
                delegateOutput.LogTo(tfliteLog);
                if (xnn is null)
                {
                    LogEvents.DelegateRefused(log, model.Source, "TfLiteXNNPackDelegateCreate returned null");
                    throw new TfLiteDelegateException("TfLiteXNNPackDelegateCreate failed");
                }
                TfLiteInterpreterOptionsAddDelegate(nativeOptions.Options, xnn.Delegate);
            }
            SafeHandle[] delegates = xnn is null ? [] : [xnn];
            interpreter = NativeStderr.Run(() => SafeTfLiteInterpreterHandle.Create(modelHandle, nativeOptions, sinkHandle, delegates), out var createOutput);
            createOutput.LogTo(tfliteLog);
            sink.Flush(tfliteLog);
            if (interpreter is null)
            {
                string? why = sink.Take();
                bool delegateFailed = options.Delegate == DelegateKind.XnnPack && why is not null && why.Contains("delegate", StringComparison.OrdinalIgnoreCase);
                if (delegateFailed) LogEvents.DelegateRefused(log, model.Source, why!);
                throw delegateFailed
                    ? new TfLiteDelegateException($"{model.Source}: the XNNPACK delegate could not be applied", why)
                    : new TfLiteException($"{model.Source}: TFLite could not create an interpreter", why);
            }
            if (filling)
            {
                if (!shared!.Handle.FinalizeSoft())
                {
                    // Not expected; this interpreter could not run over the unfinalized cache, so build
                    // it again without one (the cache is no longer handed out).
                    shared.Broken = true;
                    interpreter.Dispose();
                    xnn?.Dispose();
                    return CreateCore(model, options);
                }
                shared.Finalized = true;
            }
        }
        catch
        {
            xnn?.Dispose();
            if (interpreter is null && sinkHandle.IsAllocated) sinkHandle.Free();
            throw;
        }
        finally
        {
            if (filling) Monitor.Exit(shared!.FillGate);
        }

        var result = new TfLiteInterpreter(model, interpreter, xnn, sink, options, tfliteLog);
        try
        {
            result.AllocateTensors();
        }
        catch
        {
            result.Dispose();
            throw;
        }
        LogEvents.InterpreterCreated(log, model.Source, threads, xnn is null ? "none (builtin kernels)" : "XNNPACK");
        if (xnn is not null) LogEvents.DelegateApplied(log, model.Source, options.XnnPackFlags.ToString(), threads);
        return result;
    }

    /// <summary>(Re)allocates every tensor. Invalidates spans and tensor views obtained before.</summary>
    public void AllocateTensors()
    {
        var h = Enter();
        try
        {
            _generation++;
            _allocated = false;
            _sink.Clear();
            var status = NativeStderr.Run(() => TfLiteInterpreterAllocateTensors(h), out var captured);
            captured.LogTo(_tfliteLog);
            _sink.Flush(_tfliteLog);
            if (status != TfLiteStatus.Ok) throw new TfLiteException($"{_model.Source}: AllocateTensors failed ({status})", _sink.Take());
            Fill(_inputs, isInput: true, h);
            Fill(_outputs, isInput: false, h);
            _allocated = true;
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>Resizes input <paramref name="index"/>; call <see cref="AllocateTensors"/> before using the interpreter again.</summary>
    public void ResizeInput(int index, ReadOnlySpan<int> dims)
    {
        CheckIndex(index, _inputs.Length, "input");
        if (dims.Length is 0 or > 8) throw new ArgumentException($"a tensor shape needs 1 to 8 dimensions, not {dims.Length}", nameof(dims));
        long elements = 1;
        foreach (int d in dims)
        {
            if (d < 1) throw new ArgumentException($"dimension {d} is not positive", nameof(dims));
            elements *= d;
            if (elements > 1L << 28) throw new ArgumentException("the shape has too many elements", nameof(dims));
        }
        var h = Enter();
        try
        {
            _generation++;
            _allocated = false;
            _sink.Clear();
            TfLiteStatus status;
            fixed (int* p = dims) status = TfLiteInterpreterResizeInputTensor(h, index, p, dims.Length);
            _sink.Flush(_tfliteLog);
            if (status != TfLiteStatus.Ok) throw new TfLiteException($"resizing input {index} failed ({status})", _sink.Take());
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>Runs the graph. Allocation-free. Float inputs holding NaN or infinity are refused (TFLite would return all-zero scores).</summary>
    public void Invoke()
    {
        var h = Enter();
        try
        {
            RequireAllocated();
            for (int i = 0; i < _inputs.Length; i++)
            {
                ref readonly var slot = ref _inputs[i];
                if (slot.Type == TensorType.Float32 && !AllFinite(new ReadOnlySpan<float>(slot.Data, (int)(slot.ByteSize / sizeof(float)))))
                    throw new ArgumentException($"input {i} contains NaN or infinity");
            }
            var status = TfLiteInterpreterInvoke(h);
            _sink.Flush(_tfliteLog);
            if (status != TfLiteStatus.Ok) throw new TfLiteException($"{_model.Source}: Invoke failed ({status})", _sink.Take());
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>
    /// The input tensor's memory, zero-copy. Valid until the next <see cref="AllocateTensors"/>,
    /// <see cref="ResizeInput"/> or <see cref="Dispose"/>; <typeparamref name="T"/> must match the tensor type.
    /// </summary>
    public Span<T> GetInputSpan<T>(int index = 0) where T : unmanaged
    {
        CheckIndex(index, _inputs.Length, "input");
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireAllocated();
        return SlotSpan<T>(ref _inputs[index], "input", index);
    }

    /// <summary>The output tensor's memory, zero-copy, read-only. Same lifetime rules as <see cref="GetInputSpan{T}"/>.</summary>
    public ReadOnlySpan<T> GetOutputSpan<T>(int index = 0) where T : unmanaged
    {
        CheckIndex(index, _outputs.Length, "output");
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireAllocated();
        return SlotSpan<T>(ref _outputs[index], "output", index);
    }

    /// <summary>A view of input <paramref name="index"/>: name, type, shape, quantization, data.</summary>
    public TfLiteTensor GetInputTensor(int index = 0)
    {
        CheckIndex(index, _inputs.Length, "input");
        return new TfLiteTensor(this, TfLiteInterpreterGetInputTensor(Enter(leaveAtOnce: true), index), _generation, isInput: true, index);
    }

    public TfLiteTensor GetOutputTensor(int index = 0)
    {
        CheckIndex(index, _outputs.Length, "output");
        return new TfLiteTensor(this, TfLiteInterpreterGetOutputTensor(Enter(leaveAtOnce: true), index), _generation, isInput: false, index);
    }

    public TensorInfo GetInputInfo(int index = 0) => GetInputTensor(index).Info;

    public TensorInfo GetOutputInfo(int index = 0) => GetOutputTensor(index).Info;

    internal int Generation => _generation;

    /// <summary>The native handle, for benchmarks that measure the bare P/Invoke floor.</summary>
    internal SafeTfLiteInterpreterHandle Handle => _handle;

    internal void CheckView(int generation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (generation != _generation) throw new InvalidOperationException("this tensor view is stale: the interpreter was resized or reallocated since it was taken");
    }

    internal void RequireAllocated()
    {
        if (!_allocated) throw new InvalidOperationException("tensors are not allocated: call AllocateTensors (after a resize, or after a failed allocation) before using tensor data");
    }

    internal Span<T> SlotSpan<T>(bool isInput, int index) where T : unmanaged
        => SlotSpan<T>(ref (isInput ? _inputs : _outputs)[index], isInput ? "input" : "output", index);

    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
        _delegate?.Dispose(); // released for real only once the interpreter handle let go of it
        _allocated = false;
    }

    private static Span<T> SlotSpan<T>(ref TensorSlot slot, string kind, int index) where T : unmanaged
    {
        TensorType wanted = TensorTypes.Of<T>();
        if (slot.Type != wanted) throw new InvalidOperationException($"{kind} {index} holds {slot.Type}, not {wanted}");
        if (slot.Data is null) throw new InvalidOperationException($"{kind} {index} has no data");
        return new Span<T>(slot.Data, checked((int)(slot.ByteSize / (nuint)sizeof(T))));
    }

    private void Fill(TensorSlot[] slots, bool isInput, NativeInterpreter* h)
    {
        for (int i = 0; i < slots.Length; i++)
        {
            var t = isInput ? TfLiteInterpreterGetInputTensor(h, i) : TfLiteInterpreterGetOutputTensor(h, i);
            if (t is null) throw new TfLiteException($"{(isInput ? "input" : "output")} tensor {i} is missing");
            var type = (TensorType)TfLiteTensorType(t);
            nuint bytes = TfLiteTensorByteSize(t);
            void* data = TfLiteTensorData(t);
            int size = TensorTypes.SizeOf(type);
            if (data is null && bytes != 0) throw new TfLiteException($"{(isInput ? "input" : "output")} tensor {i} has no data after allocation");
            if (bytes > int.MaxValue || (size > 0 && bytes % (nuint)size != 0))
                throw new TfLiteException($"{(isInput ? "input" : "output")} tensor {i} has an inconsistent size of {bytes} bytes for {type}");
            slots[i] = new TensorSlot { Tensor = t, Data = data, ByteSize = bytes, Type = type };
        }
    }

    private static void CheckIndex(int index, int count, string kind)
    {
        if ((uint)index >= (uint)count) throw new ArgumentOutOfRangeException(nameof(index), index, $"the model has {count} {kind} tensor(s)");
    }

    // AddRef'ing the handle for the length of a native call means a Dispose on another thread
    // cannot free the interpreter while TFLite is still inside it.
    private NativeInterpreter* Enter(bool leaveAtOnce = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(TfLiteInterpreter));
        }
        if (leaveAtOnce) _handle.DangerousRelease();
        return _handle.Interpreter;
    }

    private void Leave() => _handle.DangerousRelease();

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        // x - x is 0 for every finite x and NaN for NaN and ±Inf.
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            var v = MemoryMarshal.Cast<float, Vector<float>>(values);
            foreach (var x in v) acc += x - x;
            if (!Vector.EqualsAll(acc, Vector<float>.Zero)) return false;
            i = v.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) return false;
        }
        return true;
    }
}
