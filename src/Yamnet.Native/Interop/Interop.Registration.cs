namespace Yamnet.Interop;

/// <summary>
/// Each class of imports registers the resolver in its static constructor, which the runtime runs
/// before the first call into that class: the resolver is in place before any library is resolved,
/// without a module initializer claiming it at assembly load (see <see cref="NativeLibraryResolver"/>).
/// A new nested class of imports needs the same line here.
/// </summary>
internal static partial class Interop
{
    internal static partial class TfLite
    {
        static TfLite() => NativeLibraryResolver.EnsureRegistered();
    }

    internal static partial class SndFile
    {
        static SndFile() => NativeLibraryResolver.EnsureRegistered();
    }

    internal static partial class Soxr
    {
        static Soxr() => NativeLibraryResolver.EnsureRegistered();
    }

    internal static partial class Alsa
    {
        static Alsa() => NativeLibraryResolver.EnsureRegistered();
    }

    internal static partial class Libc
    {
        static Libc() => NativeLibraryResolver.EnsureRegistered();
    }
}
