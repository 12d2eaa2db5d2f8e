namespace Yamnet.TfLite;

/// <summary>Element types, numbered as the C API's TfLiteType (c_api_types.h 2.9).</summary>
public enum TensorType
{
    NoType = 0,
    Float32 = 1,
    Int32 = 2,
    UInt8 = 3,
    Int64 = 4,
    String = 5,
    Bool = 6,
    Int16 = 7,
    Complex64 = 8,
    Int8 = 9,
    Float16 = 10,
    Float64 = 11,
    Complex128 = 12,
    UInt64 = 13,
    Resource = 14,
    Variant = 15,
    UInt32 = 16,
}

/// <summary>Per-tensor affine quantization: real = Scale * (q - ZeroPoint). Scale 0 means not quantized.</summary>
public readonly record struct QuantizationParameters(float Scale, int ZeroPoint);

/// <summary>A tensor's name, type, shape, byte size and quantization, read once (not a live view).</summary>
public sealed record TensorInfo(string Name, TensorType Type, int[] Shape, long ByteSize, QuantizationParameters Quantization)
{
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    public override string ToString() => $"{Name} {Type} [{string.Join(",", Shape)}]";
}
