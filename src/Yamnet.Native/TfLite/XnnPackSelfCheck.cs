using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Yamnet.Interop;
using Yamnet.Logging;

namespace Yamnet.TfLite;

/// <summary>When the XNNPACK self-check runs (see <see cref="TfLiteRuntime.XnnPackSelfCheck"/>).</summary>
public enum XnnPackSelfCheckMode
{
    /// <summary>On arm64 CPUs with SVE, SVE2, SME, I8MM or BF16: features whose XNNPACK kernels were not verified here (default).</summary>
    Auto,

    /// <summary>For every model and flags, on any CPU.</summary>
    Always,

    /// <summary>Never.</summary>
    Never,
}

/// <summary>
/// A load-time check that XNNPACK computes what TFLite's builtin kernels compute, once per model and
/// XNNPACK flags, before the first XNNPACK interpreter is handed out. Why: under qemu's default
/// `-cpu max` (SVE/SVE2/SME/I8MM/BF16), TFLite 2.19's XNNPACK gave wrong scores (Music 0.996, the rest
/// 0) and that could not be shown to be only an emulation artefact, while such arm64 servers exist.
/// The check runs one deterministic window (two tones plus noise) through both paths and compares
/// every float output; a gross mismatch (more than 0.25 by default: XNNPACK's QS8 kernels
/// and the builtin ones differ by a few hundredths, a wrong kernel by most of the range) makes the
/// model fall back to the builtin kernels (the known-good path), with a warning in the log.
/// </summary>
internal static class XnnPackSelfCheck
{
    private static readonly ConditionalWeakTable<TfLiteModel, ConcurrentDictionary<uint, Lazy<bool>>> s_verdicts = new();

    private static readonly Lazy<string?> s_riskyFeatures = new(RiskyCpuFeatures);

    /// <summary>Whether a check is due for XNNPACK interpreters in this process.</summary>
    internal static bool IsNeeded(XnnPackSelfCheckMode mode) => mode switch
    {
        XnnPackSelfCheckMode.Always => true,
        XnnPackSelfCheckMode.Never => false,
        _ => s_riskyFeatures.Value is not null,
    };

    /// <summary>
    /// True when XNNPACK with <paramref name="options"/> agrees with the builtin kernels for
    /// <paramref name="model"/>, checked on <paramref name="xnnpack"/> (an interpreter just created
    /// with those options) the first time and remembered for the model's lifetime.
    /// </summary>
    internal static bool Passes(TfLiteModel model, TfLiteInterpreter xnnpack, TfLiteInterpreterOptions options,
                                Func<TfLiteModel, TfLiteInterpreterOptions, TfLiteInterpreter> create)
    {
        var perFlags = s_verdicts.GetValue(model, static _ => new ConcurrentDictionary<uint, Lazy<bool>>());
        return perFlags.GetOrAdd((uint)options.XnnPackFlags, _ => new Lazy<bool>(() => Run(model, xnnpack, options, create))).Value;
    }

    private static bool Run(TfLiteModel model, TfLiteInterpreter xnnpack, TfLiteInterpreterOptions options,
                            Func<TfLiteModel, TfLiteInterpreterOptions, TfLiteInterpreter> create)
    {
        var log = ContainedLogger.Create(options.LoggerFactory ?? model.LoggerFactory, YamnetLogCategories.Interpreter);
        for (int i = 0; i < xnnpack.InputCount; i++)
        {
            if (xnnpack.GetInputInfo(i).Type != TensorType.Float32)
            {
                LogEvents.XnnPackSelfCheckSkipped(log, model.Source, i);
                return true;
            }
        }
        using var builtin = create(model, options with { Delegate = DelegateKind.None, Threads = 1 });
        for (int i = 0; i < xnnpack.InputCount; i++)
        {
            Fill(xnnpack.GetInputSpan<float>(i));
            Fill(builtin.GetInputSpan<float>(i));
        }
        xnnpack.Invoke();
        builtin.Invoke();
        float worst = 0;
        int count = 0;
        for (int o = 0; o < xnnpack.OutputCount; o++)
        {
            if (xnnpack.GetOutputInfo(o).Type != TensorType.Float32) continue;
            var a = xnnpack.GetOutputSpan<float>(o);
            var b = builtin.GetOutputSpan<float>(o);
            for (int k = 0; k < a.Length; k++)
            {
                float d = MathF.Abs(a[k] - b[k]);
                if (!(d <= worst)) worst = float.IsNaN(d) ? float.PositiveInfinity : d;
            }
            count += a.Length;
        }
        string cpu = RuntimeInformation.ProcessArchitecture + (s_riskyFeatures.Value is { } f ? " with " + f : "");
        if (worst <= options.XnnPackSelfCheckTolerance)
        {
            LogEvents.XnnPackSelfCheckPassed(log, model.Source, options.XnnPackFlags.ToString(), TfLiteRuntime.Version, cpu, worst, count);
            return true;
        }
        LogEvents.XnnPackSelfCheckFailed(log, model.Source, options.XnnPackFlags.ToString(), TfLiteRuntime.Version, cpu, worst, count, options.XnnPackSelfCheckTolerance);
        return false;
    }

    /// <summary>Two tones and a little deterministic noise in [-0.6, 0.6]: exercises every layer of an audio model.</summary>
    private static void Fill(Span<float> x)
    {
        uint state = 0x9E3779B9;
        for (int k = 0; k < x.Length; k++)
        {
            state = state * 1664525 + 1013904223;
            float noise = ((state >> 8) / (float)(1 << 24) - 0.5f) * 0.1f;
            x[k] = 0.35f * MathF.Sin(2 * MathF.PI * 440 * k / 16000f) + 0.2f * MathF.Sin(2 * MathF.PI * 2950 * k / 16000f) + noise;
        }
    }

    /// <summary>The arm64 CPU features (from the kernel's HWCAP bits) that make a check due, or null.</summary>
    private static string? RiskyCpuFeatures()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.Arm64 || !OperatingSystem.IsLinux()) return null;
        ulong hw = Interop.Interop.Libc.GetAuxVal(Interop.Interop.Libc.AT_HWCAP);
        ulong hw2 = Interop.Interop.Libc.GetAuxVal(Interop.Interop.Libc.AT_HWCAP2);
        var names = new List<string>();
        if ((hw & (1UL << 22)) != 0) names.Add("sve");
        if ((hw2 & (1UL << 1)) != 0) names.Add("sve2");
        if ((hw2 & (1UL << 23)) != 0) names.Add("sme");
        if ((hw2 & (1UL << 13)) != 0) names.Add("i8mm");
        if ((hw2 & (1UL << 14)) != 0) names.Add("bf16");
        return names.Count == 0 ? null : string.Join(",", names);
    }
}
