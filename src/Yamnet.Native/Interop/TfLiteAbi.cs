using System.Globalization;
using System.Runtime.InteropServices;

namespace Yamnet.Interop;

/// <summary>Which layout of <c>TfLiteXNNPackDelegateOptions</c> a TFLite library expects.</summary>
internal enum XnnPackOptionsLayout
{
    /// <summary>TFLite 2.9 (the prebuilt): 8 bytes (num_threads, flags).</summary>
    V2_9,

    /// <summary>TFLite 2.19: 64 bytes (num_threads, runtime_flags, flags, weights_cache, ...).</summary>
    V2_19,
}

/// <summary>
/// The binary interface of the loaded TFLite library, chosen once from <c>TfLiteVersion()</c>
/// (like ONNX Runtime's versioned API table): the C API functions the library uses are the same in
/// every supported version, but the XNNPACK options struct is not, and a wrong layout crashes the
/// process instead of failing. So only versions whose layout is known are accepted; any other is
/// refused with a message naming the version and the supported ones.
/// </summary>
internal sealed class TfLiteAbi
{
    internal const string Supported = "2.9.x (the prebuilt) and 2.19.x (LiteRT 2.2, built from source)";

    private static readonly Lazy<TfLiteAbi> s_current = new(Detect, LazyThreadSafetyMode.ExecutionAndPublication);

    private TfLiteAbi(string version, XnnPackOptionsLayout layout, bool hasWeightsCache)
    {
        Version = version;
        XnnPackLayout = layout;
        HasXnnPackWeightsCache = hasWeightsCache;
    }

    /// <summary>TfLiteVersion() of the library, e.g. "2.19.0".</summary>
    internal string Version { get; }

    internal XnnPackOptionsLayout XnnPackLayout { get; }

    /// <summary>The library exports TfLiteXNNPackDelegateWeightsCache{Create,FinalizeSoft,Delete} (2.19 does, 2.9 does not).</summary>
    internal bool HasXnnPackWeightsCache { get; }

    /// <summary>The loaded library's ABI. Throws <see cref="NativeLibraryException"/> (every time) for an unsupported version.</summary>
    internal static TfLiteAbi Current => s_current.Value;

    /// <summary>Picks the ABI for <paramref name="version"/>; <paramref name="hasExport"/> tells whether the library exports a symbol.</summary>
    internal static TfLiteAbi FromVersion(string version, Func<string, bool> hasExport)
    {
        XnnPackOptionsLayout? layout = ParseMajorMinor(version) switch
        {
            (2, 9) => XnnPackOptionsLayout.V2_9,
            (2, 19) => XnnPackOptionsLayout.V2_19,
            _ => null,
        };
        if (layout is null)
        {
            throw new NativeLibraryException(YamnetErrorCode.NativeLibraryUnsupportedVersion, Interop.Libraries.TfLiteC,
                $"the TFLite library reports version '{version}', which this build of Yamnet.Native does not support " +
                $"(supported: {Supported}); its XNNPACK options layout is unknown, so it is not used rather than risk memory corruption");
        }
        bool cache = hasExport("TfLiteXNNPackDelegateWeightsCacheCreate")
            && hasExport("TfLiteXNNPackDelegateWeightsCacheFinalizeSoft")
            && hasExport("TfLiteXNNPackDelegateWeightsCacheDelete");
        return new TfLiteAbi(version, layout.Value, cache);
    }

    private static (int Major, int Minor)? ParseMajorMinor(string version)
    {
        string[] parts = version.Split('.');
        return parts.Length >= 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor)
            ? (major, minor)
            : null;
    }

    private static unsafe TfLiteAbi Detect()
    {
        string version = Marshal.PtrToStringUTF8((nint)Interop.TfLite.TfLiteVersion()) ?? "";
        return FromVersion(version, static name => NativeLibraryResolver.TryGetTfLiteExport(name, out _));
    }
}
