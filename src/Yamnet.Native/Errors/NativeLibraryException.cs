namespace Yamnet;

/// <summary>
/// A native library could not be loaded. The message names the library, every path tried and, for
/// each file that exists but failed, the loader's reason (dlerror: wrong ELF class or machine, not a
/// shared object, a missing dependency).
/// </summary>
public sealed class NativeLibraryException : NativeRuntimeException
{
    public NativeLibraryException(YamnetErrorCode errorCode, string library, string message, IReadOnlyList<string>? pathsTried = null)
        : base(errorCode, message)
    {
        Library = library;
        PathsTried = pathsTried ?? [];
    }

    /// <summary>Which library: "tensorflowlite_c", "sndfile", "soxr" or "asound".</summary>
    public string Library { get; }

    /// <summary>Every path (or soname) tried, in order.</summary>
    public IReadOnlyList<string> PathsTried { get; }
}
