using System.Collections.Concurrent;
using System.Diagnostics;
using Yamnet.NativeRuntime;
using Yamnet.TfLite;

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

    private static readonly ConcurrentDictionary<string, string> s_padded = new();

    /// <summary>
    /// The file the probe runs for <paramref name="model"/> with XNNPACK: the model itself, or where this
    /// process's XNNPACK interpreters run a padded copy (TFLite 2.9 on AMD Zen, see
    /// <see cref="TfLiteRuntime.XnnPackFloatPadding"/>), that copy, written once to a temporary file
    /// removed at exit. So the C floor runs the very graph the C# path runs (and does not abort).
    /// </summary>
    internal static string ModelForXnnPack(string model) => s_padded.GetOrAdd(Path.GetFullPath(model), static path =>
    {
        if (!XnnPackModelPadding.IsActive) return path;
        byte[]? padded = XnnPackModelPadding.Pad(File.ReadAllBytes(path), out _);
        if (padded is null) return path;
        var dir = Directory.CreateTempSubdirectory("yamnet-bench-");
        string copy = Path.Combine(dir.FullName, Path.GetFileName(path));
        File.WriteAllBytes(copy, padded);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return copy;
    });

    /// <summary>A start info for <paramref name="probe"/> with <paramref name="args"/>, on this process's TFLite library.</summary>
    internal static ProcessStartInfo StartInfo(string probe, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(probe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var list = args.ToList();
        int d = list.IndexOf("--delegate");
        bool xnnpack = d < 0 || d + 1 >= list.Count || list[d + 1] != "none";
        foreach (var (a, i) in list.Select((a, i) => (a, i)))
            psi.ArgumentList.Add(xnnpack && i > 0 && list[i - 1] == "--model" ? ModelForXnnPack(a) : a);
        if (LibraryDirectory() is { } dir)
        {
            string? old = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            psi.Environment["LD_LIBRARY_PATH"] = string.IsNullOrEmpty(old) ? dir : dir + ":" + old;
        }
        return psi;
    }
}
