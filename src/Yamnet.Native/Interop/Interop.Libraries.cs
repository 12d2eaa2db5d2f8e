namespace Yamnet.Interop;

/// <summary>
/// Logical names of the native libraries the project binds. <see cref="NativeLibraryResolver"/>
/// maps each one to a concrete file, so no signature ever names a path or a soname.
/// </summary>
internal static partial class Interop
{
    internal static class Libraries
    {
        internal const string TfLiteC = "tensorflowlite_c";
        internal const string SndFile = "sndfile";
        internal const string Soxr = "soxr";
        internal const string Alsa = "asound";
        internal const string Libc = "libc";
    }
}
