namespace Yamnet.TfLite;

/// <summary>When XNNPACK interpreters get a model whose float FULLY_CONNECTED layers are padded (see <see cref="TfLiteRuntime.XnnPackFloatPadding"/>).</summary>
public enum XnnPackFloatPaddingMode
{
    /// <summary>Only where XNNPACK is known to need it: TFLite 2.9 on AMD Zen-family x86-64 CPUs without AVX-512 (default).</summary>
    Auto,

    /// <summary>On every runtime and CPU (the padding does not change results; useful to test it anywhere).</summary>
    Always,

    /// <summary>Never: the model is given to XNNPACK as it is.</summary>
    Never,
}
