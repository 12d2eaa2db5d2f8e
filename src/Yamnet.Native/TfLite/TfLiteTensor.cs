using System.Runtime.InteropServices;
using static Yamnet.Interop.Interop.TfLite;

namespace Yamnet.TfLite;

/// <summary>
/// A borrowed view of one interpreter tensor. TFLite owns the tensor; the view goes stale (and
/// throws) after the interpreter is resized, reallocated or disposed, rather than dangling.
/// </summary>
public readonly unsafe struct TfLiteTensor
{
    private readonly TfLiteInterpreter _owner;
    private readonly Interop.Interop.TfLite.TfLiteTensor* _tensor;
    private readonly int _generation;
    private readonly bool _isInput;
    private readonly int _index;

    internal TfLiteTensor(TfLiteInterpreter owner, Interop.Interop.TfLite.TfLiteTensor* tensor, int generation, bool isInput, int index)
    {
        _owner = owner;
        _tensor = tensor;
        _generation = generation;
        _isInput = isInput;
        _index = index;
    }

    public string Name => Marshal.PtrToStringUTF8((nint)TfLiteTensorName(Live())) ?? "";

    public TensorType Type => (TensorType)TfLiteTensorType(Live());

    public int[] Shape
    {
        get
        {
            var t = Live();
            int rank = TfLiteTensorNumDims(t);
            if (rank is < 0 or > 16) throw new TfLiteException($"tensor reports rank {rank}");
            var dims = new int[rank];
            for (int i = 0; i < rank; i++) dims[i] = TfLiteTensorDim(t, i);
            return dims;
        }
    }

    public long ByteSize => (long)TfLiteTensorByteSize(Live());

    public QuantizationParameters Quantization
    {
        get
        {
            var q = TfLiteTensorQuantizationParams(Live());
            return new QuantizationParameters(q.Scale, q.ZeroPoint);
        }
    }

    public TensorInfo Info => new(Name, Type, Shape, ByteSize, Quantization);

    /// <summary>Zero-copy writable data (inputs only, after allocation).</summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        Live();
        if (!_isInput) throw new InvalidOperationException("output tensors are read-only: use AsReadOnlySpan");
        _owner.RequireAllocated();
        return _owner.SlotSpan<T>(true, _index);
    }

    public ReadOnlySpan<T> AsReadOnlySpan<T>() where T : unmanaged
    {
        Live();
        _owner.RequireAllocated();
        return _owner.SlotSpan<T>(_isInput, _index);
    }

    /// <summary>Copies <paramref name="source"/> in through TfLiteTensorCopyFromBuffer after checking type and length.</summary>
    public void CopyFrom<T>(ReadOnlySpan<T> source) where T : unmanaged
    {
        var target = AsSpan<T>();
        if (source.Length != target.Length) throw new ArgumentException($"the tensor holds {target.Length} elements, the source has {source.Length}", nameof(source));
        fixed (T* p = source)
        {
            if (TfLiteTensorCopyFromBuffer(_tensor, p, (nuint)(source.Length * sizeof(T))) != TfLiteStatus.Ok)
                throw new TfLiteException("TfLiteTensorCopyFromBuffer failed");
        }
    }

    /// <summary>Copies the tensor out through TfLiteTensorCopyToBuffer after checking type and length.</summary>
    public void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        var source = AsReadOnlySpan<T>();
        if (destination.Length != source.Length) throw new ArgumentException($"the tensor holds {source.Length} elements, the destination has {destination.Length}", nameof(destination));
        fixed (T* p = destination)
        {
            if (TfLiteTensorCopyToBuffer(_tensor, p, (nuint)(destination.Length * sizeof(T))) != TfLiteStatus.Ok)
                throw new TfLiteException("TfLiteTensorCopyToBuffer failed");
        }
    }

    private Interop.Interop.TfLite.TfLiteTensor* Live()
    {
        if (_owner is null) throw new InvalidOperationException("default TfLiteTensor");
        _owner.CheckView(_generation);
        return _tensor;
    }
}
