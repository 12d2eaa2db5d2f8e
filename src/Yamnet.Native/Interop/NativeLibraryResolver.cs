using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Yamnet.NativeRuntime;

namespace Yamnet.Interop;

/// <summary>
/// Resolves the logical library names of <see cref="Interop.Libraries"/> to files. Registered lazily by
/// the static constructors of the Interop classes (just before the first native call), not by a module
/// initializer, so a host may register its own resolver for this assembly first; ours then stands
/// behind it through <see cref="AssemblyLoadContext.ResolvingUnmanagedDll"/>. Each library is searched
/// for in a fixed, documented order; an explicit path (code, then environment) is the only one tried.
/// Files are opened with dlopen directly so a failure carries dlerror's reason.
/// </summary>
internal static unsafe class NativeLibraryResolver
{
    private static readonly object s_gate = new();
    private static readonly Assembly s_assembly = typeof(NativeLibraryResolver).Assembly;
    private static readonly Dictionary<NativeLibraryKind, NativeLibraryInfo> s_results = [];
    private static NativeLibraryOptions s_options = new();
    private static nint s_libc;
    private static volatile int s_registration; // 0 none, 1 ours, 2 the host's came first

    /// <summary>How the resolver is attached: "resolver" (ours), "fallback" (behind a host's), or "none" yet.</summary>
    internal static string Registration => s_registration switch { 1 => "resolver", 2 => "fallback", _ => "none" };

    internal static void EnsureRegistered()
    {
        if (s_registration != 0) return;
        lock (s_gate)
        {
            if (s_registration != 0) return;
            try
            {
                NativeLibrary.SetDllImportResolver(s_assembly, Resolve);
                s_registration = 1;
            }
            catch (InvalidOperationException)
            {
                // The host registered a resolver for this assembly before our first native call: keep it,
                // and resolve whatever it leaves unresolved.
                var context = AssemblyLoadContext.GetLoadContext(s_assembly) ?? AssemblyLoadContext.Default;
                context.ResolvingUnmanagedDll += (assembly, name) => assembly == s_assembly ? Resolve(name, assembly, null) : 0;
                s_registration = 2;
            }
        }
    }

    internal static NativeLibraryOptions CurrentOptions
    {
        get
        {
            lock (s_gate) return s_options;
        }
    }

    internal static void Configure(NativeLibraryOptions options)
    {
        lock (s_gate)
        {
            foreach (var kind in Enum.GetValues<NativeLibraryKind>())
            {
                string? path = options.PathOf(kind);
                if (path is not null && !File.Exists(path))
                    throw new NativeLibraryException(YamnetErrorCode.NativeLibraryMisconfigured, LogicalName(kind),
                        $"configured {FileName(kind)} path '{path}' does not exist", [path]);
                if (s_results.TryGetValue(kind, out var loaded) && loaded.IsLoaded && path is not null
                    && !string.Equals(Path.GetFullPath(path), loaded.Attempts[^1].Path, StringComparison.Ordinal)
                    && !string.Equals(Path.GetFullPath(path), loaded.LoadedFrom, StringComparison.Ordinal))
                    throw new NativeLibraryException(YamnetErrorCode.NativeLibraryMisconfigured, LogicalName(kind),
                        $"{FileName(kind)} is already loaded from '{loaded.LoadedFrom}'; configure native libraries before the first model, audio or device call", [path]);
            }
            s_options = options;
            // A failed load may be retried with the new configuration; a successful one stays.
            foreach (var kind in s_results.Where(r => !r.Value.IsLoaded).Select(r => r.Key).ToList()) s_results.Remove(kind);
        }
    }

    internal static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name == Interop.Libraries.Libc) return Libc();
        NativeLibraryKind? kind = name switch
        {
            Interop.Libraries.TfLiteC => NativeLibraryKind.TfLite,
            Interop.Libraries.SndFile => NativeLibraryKind.SndFile,
            Interop.Libraries.Soxr => NativeLibraryKind.Soxr,
            Interop.Libraries.Alsa => NativeLibraryKind.Alsa,
            _ => null,
        };
        if (kind is null) return 0;
        var info = Probe(kind.Value, out nint handle);
        return handle != 0 ? handle : throw info.Error!;
    }

    internal static NativeLibraryInfo Probe(NativeLibraryKind kind) => Probe(kind, out _);

    /// <summary>The dlopen handle of <paramref name="kind"/>, loading it if needed; 0 when it cannot be loaded.</summary>
    internal static nint HandleOf(NativeLibraryKind kind)
    {
        Probe(kind, out nint handle);
        return handle;
    }

    internal static IReadOnlyList<NativeLibraryInfo> LoadedLibraries()
    {
        lock (s_gate) return s_results.Values.Where(v => v.IsLoaded).OrderBy(v => v.Kind).ToList();
    }

    private static readonly Dictionary<NativeLibraryKind, nint> s_handles = [];

    private static NativeLibraryInfo Probe(NativeLibraryKind kind, out nint handle)
    {
        lock (s_gate)
        {
            if (s_results.TryGetValue(kind, out var known))
            {
                s_handles.TryGetValue(kind, out handle);
                return known;
            }
            var info = Load(kind, out handle);
            s_results[kind] = info;
            if (handle != 0) s_handles[kind] = handle;
            return info;
        }
    }

    /// <summary>The runtime identifier used for native folders (linux-x64, linux-arm64).</summary>
    internal static string RuntimeIdentifier => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "linux-x64",
        Architecture.Arm64 => "linux-arm64",
        var a => "linux-" + a.ToString().ToLowerInvariant(),
    };

    internal static string FileName(NativeLibraryKind kind) => kind switch
    {
        NativeLibraryKind.TfLite => "libtensorflowlite_c.so",
        NativeLibraryKind.SndFile => "libsndfile.so.1",
        NativeLibraryKind.Soxr => "libsoxr.so.0",
        _ => "libasound.so.2",
    };

    private static string LogicalName(NativeLibraryKind kind) => kind switch
    {
        NativeLibraryKind.TfLite => Interop.Libraries.TfLiteC,
        NativeLibraryKind.SndFile => Interop.Libraries.SndFile,
        NativeLibraryKind.Soxr => Interop.Libraries.Soxr,
        _ => Interop.Libraries.Alsa,
    };

    internal static string EnvironmentVariable(NativeLibraryKind kind) => kind switch
    {
        NativeLibraryKind.TfLite => "YAMNET_TFLITE_LIB",
        NativeLibraryKind.SndFile => "YAMNET_SNDFILE_LIB",
        NativeLibraryKind.Soxr => "YAMNET_SOXR_LIB",
        _ => "YAMNET_ALSA_LIB",
    };

    private static string DebianPackage(NativeLibraryKind kind) => kind switch
    {
        NativeLibraryKind.SndFile => "libsndfile1",
        NativeLibraryKind.Soxr => "libsoxr0",
        _ => "libasound2",
    };

    /// <summary>Where <paramref name="kind"/> is looked for, in order. An explicit path (code, then environment) is the only candidate.</summary>
    // Assembly.Location is empty in a single-file or NativeAOT app; that case is handled (the app
    // folder, AppContext.BaseDirectory, is always searched first), so the analyzer's warning is moot.
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000:Avoid accessing Assembly file path when publishing as a single file",
        Justification = "An empty Location is handled: AppContext.BaseDirectory is searched first.")]
    internal static IReadOnlyList<(string Path, string Source)> Candidates(NativeLibraryKind kind)
    {
        string file = FileName(kind);
        string? configured;
        lock (s_gate) configured = s_options.PathOf(kind);
        if (!string.IsNullOrWhiteSpace(configured)) return [(Path.GetFullPath(configured), "configured")];
        string env = EnvironmentVariable(kind);
        string? fromEnv = Environment.GetEnvironmentVariable(env);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return [(Path.GetFullPath(fromEnv), "environment " + env)];

        var list = new List<(string, string)>();
        var dirs = new List<string> { Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory) };
        string? assemblyDir = string.IsNullOrEmpty(s_assembly.Location) ? null : Path.GetDirectoryName(s_assembly.Location);
        if (assemblyDir is not null && !dirs.Contains(assemblyDir)) dirs.Add(assemblyDir);
        foreach (string dir in dirs) list.Add((Path.Combine(dir, "runtimes", RuntimeIdentifier, "native", file), "package"));
        if (kind == NativeLibraryKind.TfLite)
        {
            foreach (string dir in dirs) list.Add((Path.Combine(dir, file), "app folder"));
            // Development layout: walk up from the binaries to a checkout's native/out/<rid>.
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, "native", "out", RuntimeIdentifier, file);
                if (File.Exists(Path.Combine(d.FullName, "native", "build-tflite.sh")) || File.Exists(candidate))
                {
                    list.Add((candidate, "checkout"));
                    break;
                }
            }
        }
        list.Add((file, "system"));
        return list;
    }

    /// <summary>Looks up an export of the loaded TFLite library (loading it first): lets callers check for
    /// functions a runtime version may lack instead of failing with EntryPointNotFoundException mid-call.</summary>
    internal static bool TryGetTfLiteExport(string name, out nint address)
    {
        nint handle = HandleOf(NativeLibraryKind.TfLite);
        if (handle == 0) throw Probe(NativeLibraryKind.TfLite).Error!;
        return NativeLibrary.TryGetExport(handle, name, out address);
    }

    private static NativeLibraryInfo Load(NativeLibraryKind kind, out nint handle) => LoadFrom(kind, Candidates(kind), out handle);

    /// <summary>Tries <paramref name="candidates"/> in order, recording each attempt (tests call this with files of their own).</summary>
    internal static NativeLibraryInfo LoadFrom(NativeLibraryKind kind, IReadOnlyList<(string Path, string Source)> candidates, out nint handle)
    {
        handle = 0;
        var attempts = new List<NativeLibraryAttempt>();
        bool explicitPath = candidates.Count == 1 && candidates[0].Source != "system";
        foreach (var (path, source) in candidates)
        {
            bool isFile = path.Contains('/');
            if (isFile && !File.Exists(path))
            {
                attempts.Add(new NativeLibraryAttempt(path, source, "no such file"));
                continue;
            }
            // Clears a stale error and, on the first call, binds dlerror itself: binding it after a failed
            // dlopen would run dlsym, which resets the very error text we want.
            Interop.Libc.DlError();
            nint h = Interop.Libc.DlOpen(path, Interop.Libc.RTLD_LAZY);
            if (h == 0)
            {
                string reason = DlErrorText() ?? "dlopen failed";
                // glibc reports an ELF file for another machine as "No such file", so say what it is.
                if (isFile && ElfMismatch(path) is { } mismatch) reason = $"{mismatch} (dlerror: {reason})";
                attempts.Add(new NativeLibraryAttempt(path, source, reason));
                continue;
            }
            attempts.Add(new NativeLibraryAttempt(path, source, null));
            handle = h;
            return new NativeLibraryInfo
            {
                Kind = kind, FileName = FileName(kind), Attempts = attempts,
                LoadedFrom = RealPath(kind, h) ?? path, Version = VersionOf(kind, h),
            };
        }
        return new NativeLibraryInfo { Kind = kind, FileName = FileName(kind), Attempts = attempts, Error = Failure(kind, attempts, explicitPath) };
    }

    private static NativeLibraryException Failure(NativeLibraryKind kind, List<NativeLibraryAttempt> attempts, bool explicitPath)
    {
        string file = FileName(kind);
        var reasons = attempts.Where(a => a.Error != "no such file").ToList();
        bool foundSomething = attempts.Any(a => a.Error != "no such file" && a.Path.Contains('/'));
        string tried = string.Join("; ", attempts.Select(a => $"{a.Path} ({a.Source}): {a.Error}"));
        string hint = kind == NativeLibraryKind.TfLite
            ? $"It ships in the Yamnet.Native NuGet package under runtimes/{RuntimeIdentifier}/native/; set NativeLibraryOptions.TfLitePath (or {EnvironmentVariable(kind)}) to use another file."
            : $"Install the system package (Debian/Raspberry Pi OS: apt-get install {DebianPackage(kind)}) or set NativeLibraryOptions.{kind}Path (or {EnvironmentVariable(kind)}).";
        var code = explicitPath && attempts[0].Error == "no such file" ? YamnetErrorCode.NativeLibraryMisconfigured
            : foundSomething ? YamnetErrorCode.NativeLibraryLoadFailed : YamnetErrorCode.NativeLibraryNotFound;
        string what = code switch
        {
            YamnetErrorCode.NativeLibraryMisconfigured => $"the configured {file} does not exist",
            YamnetErrorCode.NativeLibraryLoadFailed => $"{file} for {RuntimeIdentifier} was found but could not be loaded",
            _ => $"{file} for {RuntimeIdentifier} was not found",
        };
        return new NativeLibraryException(code, LogicalName(kind), $"{what} (tried: {tried}). {hint}", attempts.Select(a => a.Path).ToList())
        {
            NativeMessage = reasons.Count > 0 ? reasons[0].Error : null,
        };
    }

    /// <summary>Why an existing file cannot be this process's shared object, read from its ELF header; null when the header fits.</summary>
    internal static string? ElfMismatch(string path)
    {
        Span<byte> header = stackalloc byte[20];
        try
        {
            using var f = File.OpenRead(path);
            if (f.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length) return "not a shared object (file too short for an ELF header)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F') return "not a shared object (no ELF header)";
        int bits = header[4] == 2 ? 64 : header[4] == 1 ? 32 : 0;
        string machine = MachineName(header[18] | header[19] << 8);
        string want = RuntimeInformation.ProcessArchitecture switch { Architecture.X64 => "x86-64", Architecture.Arm64 => "aarch64", var a => a.ToString() };
        if (bits != IntPtr.Size * 8 || machine != want) return $"wrong architecture: the file is {bits}-bit ELF for {machine}, this process is {IntPtr.Size * 8}-bit {want}";
        return null;
    }

    private static string MachineName(int eMachine) => eMachine switch
    {
        3 => "x86", 40 => "arm", 62 => "x86-64", 183 => "aarch64", 243 => "riscv", _ => $"machine {eMachine}",
    };

    private static string? DlErrorText()
    {
        byte* e = Interop.Libc.DlError();
        return e is null ? null : Marshal.PtrToStringUTF8((nint)e);
    }

    private static string? RealPath(NativeLibraryKind kind, nint handle)
    {
        if (!NativeLibrary.TryGetExport(handle, VersionSymbol(kind), out nint symbol)) return null;
        Interop.Libc.DlInfo info;
        if (Interop.Libc.DlAddr(symbol, &info) == 0 || info.FileName is null) return null;
        string? path = Marshal.PtrToStringUTF8((nint)info.FileName);
        try
        {
            return path is null ? null : new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return path;
        }
    }

    private static string VersionSymbol(NativeLibraryKind kind) => kind switch
    {
        NativeLibraryKind.TfLite => "TfLiteVersion",
        NativeLibraryKind.SndFile => "sf_version_string",
        NativeLibraryKind.Soxr => "soxr_version",
        _ => "snd_asoundlib_version",
    };

    private static string? VersionOf(NativeLibraryKind kind, nint handle)
    {
        if (!NativeLibrary.TryGetExport(handle, VersionSymbol(kind), out nint fn)) return null;
        byte* text = ((delegate* unmanaged[Cdecl]<byte*>)fn)();
        return text is null ? null : Marshal.PtrToStringUTF8((nint)text);
    }

    private static nint Libc()
    {
        if (s_libc != 0) return s_libc;
        lock (s_gate)
        {
            if (s_libc == 0) s_libc = NativeLibrary.Load("libc.so.6");
            return s_libc;
        }
    }
}
