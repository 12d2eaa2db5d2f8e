using System.Diagnostics;
using Yamnet.NativeRuntime;

namespace Yamnet.Cli.Commands;

/// <summary>
/// Starts tflite-probe on the very TFLite library this process loaded. The probe finds its library
/// by RUNPATH (beside itself / native/out), which LD_LIBRARY_PATH overrides: without this, a bench
/// run with YAMNET_TFLITE_LIB pointing at 2.19 would compare the CLI on 2.19 with the C probe on
/// whatever native/out holds, and every ratio would be across versions.
/// </summary>
internal static class BenchProbe
{
    /// <summary>The directory of the loaded libtensorflowlite_c.so, or null before it is loaded.</summary>
    internal static string? LibraryDirectory()
    {
        string? lib = NativeLibraries.Loaded.FirstOrDefault(l => l.Kind == NativeLibraryKind.TfLite)?.LoadedFrom;
        return lib is null ? null : Path.GetDirectoryName(Path.GetFullPath(lib));
    }

    /// <summary>A start info for <paramref name="probe"/> with <paramref name="args"/>, on this process's TFLite library.</summary>
    internal static ProcessStartInfo StartInfo(string probe, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(probe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        if (LibraryDirectory() is { } dir)
        {
            string? old = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            psi.Environment["LD_LIBRARY_PATH"] = string.IsNullOrEmpty(old) ? dir : dir + ":" + old;
        }
        return psi;
    }
}
