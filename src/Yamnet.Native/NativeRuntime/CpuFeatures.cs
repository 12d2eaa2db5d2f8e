using System.Runtime.InteropServices;

namespace Yamnet.NativeRuntime;

/// <summary>
/// The CPU features XNNPACK chooses its kernels by, as the kernel reports them in /proc/cpuinfo
/// (XNNPACK reads the same facts through cpuinfo): SSE/AVX/AVX2/FMA/AVX-512/VNNI on x86-64,
/// NEON (asimd), fp16, dot product, i8mm and SVE on arm64.
/// </summary>
public sealed record CpuFeatures(string Architecture, string? ModelName, IReadOnlyList<string> Present, IReadOnlyList<string> Absent)
{
    private static readonly string[] s_x64 =
        ["sse2", "ssse3", "sse4_1", "sse4_2", "avx", "f16c", "fma", "avx2", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512_vnni", "avx_vnni", "avx512_bf16", "avx512_fp16", "amx_int8"];

    private static readonly string[] s_arm64 = ["asimd", "fphp", "asimdhp", "asimddp", "asimdfhm", "i8mm", "bf16", "sve", "sve2"];

    /// <summary>Reads /proc/cpuinfo (first processor).</summary>
    public static CpuFeatures Detect() => Parse(RuntimeInformation.ProcessArchitecture, File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : "");

    internal static CpuFeatures Parse(Architecture architecture, string cpuinfo)
    {
        string? model = null;
        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (string raw in cpuinfo.Split('\n'))
        {
            int colon = raw.IndexOf(':');
            if (colon < 0) continue;
            string key = raw[..colon].Trim(), value = raw[(colon + 1)..].Trim();
            if (model is null && key is "model name" or "Model" or "CPU part") model = value;
            if (key is "flags" or "Features" && flags.Count == 0) flags.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        string[] relevant = architecture == System.Runtime.InteropServices.Architecture.Arm64 ? s_arm64 : architecture == System.Runtime.InteropServices.Architecture.X64 ? s_x64 : [];
        return new CpuFeatures(architecture.ToString().ToLowerInvariant(), model,
            relevant.Where(flags.Contains).ToList(), relevant.Where(f => !flags.Contains(f)).ToList());
    }
}
