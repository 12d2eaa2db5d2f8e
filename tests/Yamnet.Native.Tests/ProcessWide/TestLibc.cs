using System.Runtime.InteropServices;

namespace Yamnet.Native.Tests.ProcessWide;

/// <summary>The libc calls a test needs to play the host that owns fd 2.</summary>
internal static partial class TestLibc
{
    [LibraryImport("libc.so.6", EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte[] buffer, nuint count);

    [LibraryImport("libc.so.6", EntryPoint = "dup", SetLastError = true)]
    internal static partial int Dup(int fd);

    [LibraryImport("libc.so.6", EntryPoint = "dup2", SetLastError = true)]
    internal static partial int Dup2(int from, int to);

    [LibraryImport("libc.so.6", EntryPoint = "close")]
    internal static partial int Close(int fd);

    internal static void WriteLine(int fd, string line)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        Write(fd, bytes, (nuint)bytes.Length);
    }
}

/// <summary>
/// Points this process's fd 2 at a temp file for the length of a test (the test is the host that owns
/// fd 2), and puts the real stderr back on dispose. What reached "stderr" is then the file's text.
/// </summary>
internal sealed class StderrToFile : IDisposable
{
    private readonly int _saved;
    private readonly FileStream _file;
    private bool _restored;

    internal StderrToFile()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"yamnet-stderr-{Guid.NewGuid():N}.txt");
        _file = new FileStream(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite);
        _saved = TestLibc.Dup(2);
        _saved.Should().BeGreaterThan(2);
        TestLibc.Dup2((int)_file.SafeFileHandle.DangerousGetHandle(), 2).Should().Be(2);
    }

    internal string Path { get; }

    /// <summary>Restores fd 2 and returns everything written to it meanwhile.</summary>
    internal string Finish()
    {
        Restore();
        return File.ReadAllText(Path);
    }

    private void Restore()
    {
        if (_restored) return;
        _restored = true;
        TestLibc.Dup2(_saved, 2);
        TestLibc.Close(_saved);
    }

    public void Dispose()
    {
        Restore();
        _file.Dispose();
        try { File.Delete(Path); } catch (IOException) { }
    }
}
