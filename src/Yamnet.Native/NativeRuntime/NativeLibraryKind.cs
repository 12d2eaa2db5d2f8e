namespace Yamnet.NativeRuntime;

/// <summary>The native libraries this package binds.</summary>
public enum NativeLibraryKind
{
    /// <summary>libtensorflowlite_c.so (TFLite C API; shipped in the package under runtimes/&lt;rid&gt;/native).</summary>
    TfLite,

    /// <summary>libsndfile.so.1 (audio decoding; a system package).</summary>
    SndFile,

    /// <summary>libsoxr.so.0 (resampling; a system package).</summary>
    Soxr,

    /// <summary>libasound.so.2 (ALSA capture; a system package).</summary>
    Alsa,
}
