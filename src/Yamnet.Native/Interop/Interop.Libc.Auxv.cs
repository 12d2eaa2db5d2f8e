using System.Runtime.InteropServices;

namespace Yamnet.Interop;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const nuint AT_HWCAP = 16;
        internal const nuint AT_HWCAP2 = 26;

        /// <summary>The kernel's auxiliary vector (CPU feature bits on arm64); 0 for an unknown type.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "getauxval")]
        internal static partial nuint GetAuxVal(nuint type);
    }
}
