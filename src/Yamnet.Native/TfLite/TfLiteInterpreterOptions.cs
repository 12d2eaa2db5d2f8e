using Microsoft.Extensions.Logging;

namespace Yamnet.TfLite;

/// <summary>Which kernels run the graph.</summary>
public enum DelegateKind
{
    /// <summary>TFLite's builtin CPU kernels.</summary>
    None,

    /// <summary>The XNNPACK delegate (the default; with <see cref="XnnPackFlags.Qs8"/> it reproduces the Raspberry Pi example bit for bit).</summary>
    XnnPack,
}

/// <summary>XNNPACK delegate flags (same bits in TFLite 2.9 and 2.19).</summary>
[Flags]
public enum XnnPackFlags : uint
{
    None = 0,

    /// <summary>Run signed 8-bit quantized operators in XNNPACK (TFLITE_XNNPACK_DELEGATE_FLAG_QS8).</summary>
    Qs8 = 1,

    /// <summary>Run unsigned 8-bit quantized operators in XNNPACK (TFLITE_XNNPACK_DELEGATE_FLAG_QU8).</summary>
    Qu8 = 2,
}

/// <summary>How an interpreter is built.</summary>
public sealed record TfLiteInterpreterOptions
{
    /// <summary>Thread counts above this are clamped: more threads than this only add contention.</summary>
    public const int MaxThreads = 64;

    /// <summary>Threads for TFLite and XNNPACK (at least 1; clamped to <see cref="MaxThreads"/>).</summary>
    public int Threads { get; init; } = 1;

    public DelegateKind Delegate { get; init; } = DelegateKind.XnnPack;

    public XnnPackFlags XnnPackFlags { get; init; } = XnnPackFlags.Qs8;

    /// <summary>Where this interpreter logs (created, delegate applied or refused, TFLite's reports); null: the model's factory, if any.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// With TFLite 2.19, XNNPACK interpreters of one model (and the same flags) share one copy of
    /// the packed weights through XNNPACK's weights cache instead of each packing its own (default
    /// true). Ignored on 2.9, whose library has no weights cache. Scores are identical either way.
    /// </summary>
    public bool ShareXnnPackWeights { get; init; } = true;

    /// <summary>When to check XNNPACK against the builtin kernels for this model; null = <see cref="TfLiteRuntime.XnnPackSelfCheck"/>.</summary>
    public XnnPackSelfCheckMode? XnnPackSelfCheck { get; init; }

    /// <summary>Largest |XNNPACK − builtin| the self-check accepts (tests lower it to force a fallback).</summary>
    internal float XnnPackSelfCheckTolerance { get; init; } = 0.25f;

    public static TfLiteInterpreterOptions Default { get; } = new();

    internal int EffectiveThreads => Threads < 1
        ? throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "thread count must be at least 1")
        : Math.Min(Threads, MaxThreads);
}
