using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Yamnet.Interop;

/// <summary>
/// Resolves the logical library names of <see cref="Interop.Libraries"/> to files.
/// TFLite is not a system package, so it is searched for in a fixed, documented order;
/// libsndfile, libsoxr and libasound come from the system (Debian packages) unless overridden.
/// A library that cannot be found fails with one message naming every place tried.
/// </summary>
internal static class NativeLibraryResolver
{
    /// <summary>Environment variable holding an explicit path to libtensorflowlite_c.so.</summary>
    internal const string TfLiteEnvironmentVariable = "YAMNET_TFLITE_LIB";

    private static readonly ConcurrentDictionary<string, nint> s_loaded = new();

    // The library must resolve its natives before any P/Invoke, whoever the host is.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already registered for this assembly (e.g. a host set one first); keep it.
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
        => name switch
        {
            Interop.Libraries.TfLiteC => s_loaded.GetOrAdd(name, static _ => LoadTfLite()),
            Interop.Libraries.SndFile => s_loaded.GetOrAdd(name, static n => LoadSystem(n, "YAMNET_SNDFILE_LIB", "libsndfile.so.1", "libsndfile1")),
            Interop.Libraries.Soxr => s_loaded.GetOrAdd(name, static n => LoadSystem(n, "YAMNET_SOXR_LIB", "libsoxr.so.0", "libsoxr0")),
            Interop.Libraries.Alsa => s_loaded.GetOrAdd(name, static n => LoadSystem(n, "YAMNET_ALSA_LIB", "libasound.so.2", "libasound2")),
            Interop.Libraries.Libc => s_loaded.GetOrAdd(name, static n => LoadSystem(n, null, "libc.so.6", "libc6")),
            _ => 0,
        };

    /// <summary>The runtime identifier used for native folders (linux-x64, linux-arm64).</summary>
    internal static string RuntimeIdentifier => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "linux-x64",
        Architecture.Arm64 => "linux-arm64",
        var a => "linux-" + a.ToString().ToLowerInvariant(),
    };

    /// <summary>The candidate paths for libtensorflowlite_c.so, in search order.</summary>
    internal static IReadOnlyList<string> TfLiteCandidates()
    {
        const string file = "libtensorflowlite_c.so";
        var list = new List<string>();
        string? explicitPath = Environment.GetEnvironmentVariable(TfLiteEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(explicitPath)) list.Add(explicitPath);
        string baseDir = AppContext.BaseDirectory;
        list.Add(Path.Combine(baseDir, "runtimes", RuntimeIdentifier, "native", file));
        list.Add(Path.Combine(baseDir, file));
        // Development layout: walk up from the binaries to the checkout's native/out/<rid>.
        for (var dir = new DirectoryInfo(baseDir); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "native", "out", RuntimeIdentifier, file);
            if (File.Exists(Path.Combine(dir.FullName, "native", "build-tflite.sh")) || File.Exists(candidate))
            {
                list.Add(candidate);
                break;
            }
        }
        return list;
    }

    /// <summary>Looks up an export of the loaded TFLite library (loading it first): lets callers check for
    /// functions a runtime version may lack instead of failing with EntryPointNotFoundException mid-call.</summary>
    internal static bool TryGetTfLiteExport(string name, out nint address)
        => NativeLibrary.TryGetExport(s_loaded.GetOrAdd(Interop.Libraries.TfLiteC, static _ => LoadTfLite()), name, out address);

    private static nint LoadTfLite()
    {
        var candidates = TfLiteCandidates();
        foreach (string path in candidates)
        {
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out nint handle)) return handle;
        }
        throw new NativeLibraryException(YamnetErrorCode.NativeLibraryNotFound, Interop.Libraries.TfLiteC,
            $"libtensorflowlite_c.so for {RuntimeIdentifier} was not found (looked in: {string.Join(", ", candidates)}). " +
            $"Provision it with 'native/build-tflite.sh' or set {TfLiteEnvironmentVariable} to its path.", candidates);
    }

    private static nint LoadSystem(string name, string? envVar, string soname, string debianPackage)
    {
        var tried = new List<string>();
        string? explicitPath = envVar is null ? null : Environment.GetEnvironmentVariable(envVar);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            tried.Add(explicitPath);
            if (NativeLibrary.TryLoad(explicitPath, out nint h)) return h;
        }
        string local = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeIdentifier, "native", soname);
        tried.Add(local);
        if (File.Exists(local) && NativeLibrary.TryLoad(local, out nint h2)) return h2;
        tried.Add(soname);
        if (NativeLibrary.TryLoad(soname, out nint h3)) return h3;
        throw new NativeLibraryException(YamnetErrorCode.NativeLibraryNotFound, name,
            $"{soname} ({name}) was not found (looked in: {string.Join(", ", tried)}). Install it with 'apt-get install {debianPackage}'" +
            (envVar is null ? "." : $" or set {envVar} to its path."), tried);
    }
}
