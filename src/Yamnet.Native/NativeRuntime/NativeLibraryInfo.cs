namespace Yamnet.NativeRuntime;

/// <summary>Where one native library came from (or why it did not load), for diagnostics such as <c>yamnet doctor</c>.</summary>
public sealed record NativeLibraryInfo
{
    public required NativeLibraryKind Kind { get; init; }

    /// <summary>The file name searched for, e.g. "libsndfile.so.1".</summary>
    public required string FileName { get; init; }

    public bool IsLoaded => LoadedFrom is not null;

    /// <summary>The file the loader actually mapped (resolved through dladdr, so a soname shows as its real path); null when not loaded.</summary>
    public string? LoadedFrom { get; init; }

    /// <summary>The library's own version string (TfLiteVersion, sf_version_string, soxr_version, snd_asoundlib_version).</summary>
    public string? Version { get; init; }

    /// <summary>Every place tried, in order, with what happened.</summary>
    public required IReadOnlyList<NativeLibraryAttempt> Attempts { get; init; }

    /// <summary>The failure, when it did not load.</summary>
    public NativeLibraryException? Error { get; init; }
}
