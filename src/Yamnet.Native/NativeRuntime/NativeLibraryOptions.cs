namespace Yamnet.NativeRuntime;

/// <summary>
/// Explicit files for the native libraries, given to <see cref="NativeLibraries.Configure"/> before
/// the first use. A path set here (or in the matching environment variable, which comes second) is the
/// only one tried for that library: if it cannot be loaded the error says why, instead of silently
/// falling back to another copy. Null means "search as usual".
/// </summary>
public sealed record NativeLibraryOptions
{
    /// <summary>libtensorflowlite_c.so; else $YAMNET_TFLITE_LIB, else the package's runtimes/&lt;rid&gt;/native, the app folder, the system loader.</summary>
    public string? TfLitePath { get; init; }

    /// <summary>libsndfile.so.1; else $YAMNET_SNDFILE_LIB, else the system's.</summary>
    public string? SndFilePath { get; init; }

    /// <summary>libsoxr.so.0; else $YAMNET_SOXR_LIB, else the system's.</summary>
    public string? SoxrPath { get; init; }

    /// <summary>libasound.so.2; else $YAMNET_ALSA_LIB, else the system's.</summary>
    public string? AlsaPath { get; init; }

    internal string? PathOf(NativeLibraryKind kind) => kind switch
    {
        NativeLibraryKind.TfLite => TfLitePath,
        NativeLibraryKind.SndFile => SndFilePath,
        NativeLibraryKind.Soxr => SoxrPath,
        _ => AlsaPath,
    };
}
