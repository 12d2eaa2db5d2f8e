using System.Reflection;
using System.Runtime.InteropServices;
using Yamnet.Interop;

namespace Yamnet.NativeRuntime;

/// <summary>
/// Configures, resolves and reports the native libraries. Nothing here is needed for the defaults.
/// <list type="bullet">
/// <item><see cref="Configure"/> sets explicit paths before first use (loud when a path is wrong or when a library is already loaded).</item>
/// <item><see cref="Probe"/> and <see cref="Loaded"/> tell which file was loaded for each library and every path tried.</item>
/// <item>The package registers its DllImport resolver lazily, just before its first native call. A host
///   that wants its own resolver for this assembly registers it first
///   (<c>NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, …)</c>) and hands the names it does
///   not handle to <see cref="Resolve"/>; anything it returns 0 for still gets resolved here (through
///   <c>AssemblyLoadContext.ResolvingUnmanagedDll</c>) rather than failing.</item>
/// </list>
/// </summary>
public static class NativeLibraries
{
    /// <summary>
    /// Sets explicit library paths. Call before the first model, audio or device call. Throws
    /// <see cref="NativeLibraryException"/> (<see cref="YamnetErrorCode.NativeLibraryMisconfigured"/>) when a
    /// configured file does not exist, or when a library whose path changes was already loaded.
    /// </summary>
    public static void Configure(NativeLibraryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        NativeLibraryResolver.Configure(options);
    }

    /// <summary>The configuration in force (set by <see cref="Configure"/>; empty by default).</summary>
    public static NativeLibraryOptions Options => NativeLibraryResolver.CurrentOptions;

    /// <summary>Loads <paramref name="kind"/> if it is not loaded yet and reports where it came from; never throws for a load failure (see <see cref="NativeLibraryInfo.Error"/>).</summary>
    public static NativeLibraryInfo Probe(NativeLibraryKind kind) => NativeLibraryResolver.Probe(kind);

    /// <summary>The libraries loaded so far, with their files and every path tried.</summary>
    public static IReadOnlyList<NativeLibraryInfo> Loaded => NativeLibraryResolver.LoadedLibraries();

    /// <summary>
    /// A <see cref="DllImportResolver"/> for this assembly's library names ("tensorflowlite_c", "sndfile",
    /// "soxr", "asound", "libc"); 0 for any other name. For hosts that register their own resolver for
    /// this assembly and delegate the rest. Throws <see cref="NativeLibraryException"/> when a library of ours cannot be loaded.
    /// </summary>
    public static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        => NativeLibraryResolver.Resolve(libraryName, assembly, searchPath);
}
