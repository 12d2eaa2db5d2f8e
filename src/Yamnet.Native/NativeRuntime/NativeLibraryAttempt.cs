namespace Yamnet.NativeRuntime;

/// <summary>One place a native library was looked for, and what happened there.</summary>
/// <param name="Path">A file path, or a soname handed to the system loader (ld.so.cache, LD_LIBRARY_PATH).</param>
/// <param name="Source">Why this place was tried: "configured", "environment YAMNET_…", "package", "app folder", "checkout", "system".</param>
/// <param name="Error">Null when it loaded; "no such file" when it was not there; otherwise the loader's reason (dlerror).</param>
public sealed record NativeLibraryAttempt(string Path, string Source, string? Error)
{
    public bool Succeeded => Error is null;
}
