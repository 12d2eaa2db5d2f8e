using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Yamnet.Tests;

namespace Yamnet.Cli.Tests;

/// <summary>
/// The progress bar appears only when stderr is a terminal. The test opens a pseudo-terminal
/// itself, gives its slave side to the CLI as stderr (stdout goes to a file, as when a user
/// redirects results), and drains the master after the CLI exits, so nothing written is lost.
/// </summary>
public partial class ProgressBarTests
{
    [Fact]
    public async Task A_batch_draws_a_progress_bar_on_a_terminal_and_keeps_stdout_clean()
    {
        string dir = TestAssets.NewTempDir("progress");
        var files = Enumerable.Range(0, 3).Select(i => Path.Combine(dir, $"clip{i}.wav")).ToList();
        foreach (string f in files) File.Copy(TestAssets.Meow, f);
        string output = Path.Combine(dir, "out.txt");

        int master = Pty.posix_openpt(Pty.O_RDWR | Pty.O_NOCTTY);
        master.Should().BeGreaterThan(0);
        try
        {
            Pty.grantpt(master).Should().Be(0);
            Pty.unlockpt(master).Should().Be(0);
            string slave = Marshal.PtrToStringUTF8(Pty.ptsname(master))!;
            // Holding the slave open too keeps the terminal from hanging up when the CLI exits,
            // which on Linux would throw away what it wrote before the master is read.
            int held = Pty.open(slave, Pty.O_RDWR | Pty.O_NOCTTY);
            held.Should().BeGreaterThan(0);

            string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
            // The terminal delivers to the master asynchronously, so the shell writes an end marker after
            // the CLI exits: reading up to the marker reads everything the CLI wrote, in order.
            string command = $"'{host}' exec '{CliRunner.YamnetDll}' classify {string.Join(' ', files.Select(f => $"'{f}'"))} > '{output}' 2> '{slave}'; rc=$?; printf '\\n{Pty.EndMarker}\\n' > '{slave}'; exit $rc";
            var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(command);
            using var process = Process.Start(psi)!;
            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
            process.ExitCode.Should().Be(0);

            string tty = Pty.Drain(master);
            Pty.close(held);
            tty.Should().Contain(Pty.EndMarker);
            tty.Should().Contain("] 3/3 files").And.Contain("[#", "the bar is drawn on the terminal (stderr)");
        }
        finally
        {
            Pty.close(master);
        }
        string stdout = await File.ReadAllTextAsync(output);
        stdout.Should().NotContain("files").And.NotContain("\r");
        stdout.Split("== ").Should().HaveCount(4, "three file blocks");
        stdout.IndexOf("clip0.wav", StringComparison.Ordinal).Should().BeLessThan(stdout.IndexOf("clip1.wav", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_progress_bar_when_stderr_is_not_a_terminal()
    {
        var r = await CliRunner.RunAsync(["classify", TestAssets.Meow, TestAssets.Audio("speech.wav")]);
        r.ExitCode.Should().Be(0, r.ToString());
        r.Stderr.Should().BeEmpty();
    }

    private static unsafe partial class Pty
    {
        internal const int O_RDWR = 2, O_NOCTTY = 0x100;

        [LibraryImport("libc")] internal static partial int posix_openpt(int flags);
        [LibraryImport("libc")] internal static partial int grantpt(int fd);
        [LibraryImport("libc")] internal static partial int unlockpt(int fd);
        [LibraryImport("libc")] internal static partial nint ptsname(int fd);
        [LibraryImport("libc")] internal static partial int close(int fd);
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)] internal static partial int open(string path, int flags);
        [LibraryImport("libc")] internal static partial int poll(PollFd* fds, nuint count, int timeoutMs);

        [StructLayout(LayoutKind.Sequential)]
        internal struct PollFd
        {
            internal int Fd;
            internal short Events;
            internal short Revents;
        }
        [LibraryImport("libc")] internal static partial nint read(int fd, byte* buffer, nuint count);

        internal const string EndMarker = "@@END-OF-CLI@@";

        /// <summary>Reads the master side up to <see cref="EndMarker"/> (poll bounds each wait so a broken run fails instead of hanging).</summary>
        internal static string Drain(int master)
        {
            var text = new StringBuilder();
            var buffer = new byte[4096];
            fixed (byte* p = buffer)
            {
                while (!text.ToString().Contains(EndMarker, StringComparison.Ordinal))
                {
                    var fds = new PollFd { Fd = master, Events = 1 };
                    if (poll(&fds, 1, 30_000) <= 0) break;
                    nint n = read(master, p, (nuint)buffer.Length);
                    if (n <= 0) break;
                    text.Append(Encoding.UTF8.GetString(buffer, 0, (int)n));
                }
            }
            return text.ToString();
        }
    }
}
