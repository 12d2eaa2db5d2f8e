namespace Yamnet.TfLite;

internal static class TensorTypes
{
    internal static TensorType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return TensorType.Float32;
        if (typeof(T) == typeof(int)) return TensorType.Int32;
        if (typeof(T) == typeof(byte)) return TensorType.UInt8;
        if (typeof(T) == typeof(sbyte)) return TensorType.Int8;
        if (typeof(T) == typeof(short)) return TensorType.Int16;
        if (typeof(T) == typeof(long)) return TensorType.Int64;
        if (typeof(T) == typeof(double)) return TensorType.Float64;
        if (typeof(T) == typeof(Half)) return TensorType.Float16;
        if (typeof(T) == typeof(uint)) return TensorType.UInt32;
        if (typeof(T) == typeof(ulong)) return TensorType.UInt64;
        if (typeof(T) == typeof(bool)) return TensorType.Bool;
        throw new NotSupportedException($"{typeof(T)} has no TFLite tensor type");
    }

    /// <summary>Bytes per element, or 0 for types without a fixed size (string, resource, variant).</summary>
    internal static int SizeOf(TensorType type) => type switch
    {
        TensorType.Float32 or TensorType.Int32 or TensorType.UInt32 => 4,
        TensorType.UInt8 or TensorType.Int8 or TensorType.Bool => 1,
        TensorType.Int16 or TensorType.Float16 => 2,
        TensorType.Int64 or TensorType.UInt64 or TensorType.Float64 or TensorType.Complex64 => 8,
        TensorType.Complex128 => 16,
        _ => 0,
    };
}
