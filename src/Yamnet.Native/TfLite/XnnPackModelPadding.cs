namespace Yamnet.TfLite;

/// <summary>
/// The padded models XNNPACK interpreters run where TFLite 2.9's XNNPACK needs them (see
/// <see cref="TfLiteRuntime.XnnPackFloatPadding"/>), for programs that run the same library outside
/// this process: the yamnet CLI gives them to the C probe it benchmarks against and tries unknown
/// models with, so the C side runs the very graph the library runs.
/// </summary>
public static class XnnPackModelPadding
{
    /// <summary>True when this process's XNNPACK interpreters run padded models (the setting, the loaded TFLite and the CPU).</summary>
    public static bool IsActive => FloatGemmPadding.IsNeeded(TfLiteRuntime.XnnPackFloatPadding);

    /// <summary>
    /// The model with every float FULLY_CONNECTED layer's input channels zero-padded to a multiple of 4,
    /// or null when no layer needs it. Does not look at <see cref="IsActive"/>.
    /// </summary>
    /// <exception cref="InvalidModelException">A layer needs padding but cannot be padded, or the model is malformed.</exception>
    public static byte[]? Pad(ReadOnlySpan<byte> model, out int paddedLayers)
    {
        ModelValidator.Validate(model);
        byte[]? padded = FloatGemmPadding.Derive(model, out paddedLayers, out string? refusal);
        if (refusal is not null) throw new InvalidModelException(YamnetErrorCode.UnsupportedModel, "XNNPACK needs this model padded and it cannot be: " + refusal);
        return padded;
    }
}
