namespace Yamnet.TfLite;

/// <summary>
/// Checks the builtin options whose bad values TFLite kernels divide by or index with
/// (strides, dilations, filter sizes, reshape targets) for the ops an audio model uses.
/// Unknown option tables are left to TFLite's own checks.
/// </summary>
internal static class BuiltinOptionsValidator
{
    // schema.fbs BuiltinOptions union tags
    private const byte Conv2DOptions = 1, DepthwiseConv2DOptions = 2, Pool2DOptions = 5, ReshapeOptions = 17, StridedSliceOptions = 32;

    internal static void Validate(ref FlatBufferReader fb, int op, byte optionsType, int options, int index)
    {
        if (options < 0) return;
        switch (optionsType)
        {
            case Conv2DOptions:
                // padding(0) stride_w(1) stride_h(2) activation(3) dilation_w(4) dilation_h(5)
                Positive(ref fb, options, 1, index, "stride_w");
                Positive(ref fb, options, 2, index, "stride_h");
                Positive(ref fb, options, 4, index, "dilation_w", 1);
                Positive(ref fb, options, 5, index, "dilation_h", 1);
                Padding(ref fb, options, index);
                break;
            case DepthwiseConv2DOptions:
                // padding(0) stride_w(1) stride_h(2) depth_multiplier(3) activation(4) dilation_w(5) dilation_h(6)
                Positive(ref fb, options, 1, index, "stride_w");
                Positive(ref fb, options, 2, index, "stride_h");
                Positive(ref fb, options, 5, index, "dilation_w", 1);
                Positive(ref fb, options, 6, index, "dilation_h", 1);
                if (fb.Int32Field(options, 3) < 0) throw Bad(index, "depth_multiplier", fb.Int32Field(options, 3));
                Padding(ref fb, options, index);
                break;
            case Pool2DOptions:
                // padding(0) stride_w(1) stride_h(2) filter_width(3) filter_height(4)
                for (int f = 1; f <= 4; f++) Positive(ref fb, options, f, index, "pool parameter " + f);
                Padding(ref fb, options, index);
                break;
            case ReshapeOptions:
                var (start, count) = fb.VectorField(options, 0, 4);
                if (count > 8) throw Bad(index, "reshape rank", count);
                for (int i = 0; i < count; i++)
                {
                    int d = fb.ReadInt32(start + 4 * i);
                    if (d < -1) throw Bad(index, "reshape dimension", d);
                }
                break;
            case StridedSliceOptions:
                break;
        }
    }

    private static void Positive(ref FlatBufferReader fb, int table, int field, int index, string name, int defaultValue = 0)
    {
        int value = fb.Int32Field(table, field, defaultValue);
        if (value <= 0 || value > 4096) throw Bad(index, name, value);
    }

    private static void Padding(ref FlatBufferReader fb, int table, int index)
    {
        byte padding = fb.ByteField(table, 0);
        if (padding > 1) throw Bad(index, "padding", padding);
    }

    private static InvalidModelException Bad(int index, string name, int value)
        => new($"operator {index} has {name} = {value}");
}
