using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Yamnet.Service.Tests;

/// <summary>
/// A running <c>yamnet listen</c> (the real CLI, as a child process) whose stdin the test writes and
/// whose stdout/stderr lines it waits on. Nothing here sleeps: every wait is for an observable line
/// (with a timeout that only bounds a failure).
/// </summary>
public sealed class ListenerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly SemaphoreSlim _changed = new(0);
    private readonly Task _readers;

    public ListenerProcess(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "yamnet.dll"));
        psi.ArgumentList.Add("listen");
        psi.ArgumentList.Add("--model");
        psi.ArgumentList.Add(Yamnet.Tests.TestAssets.YamnetModel);
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("YAMNET_MODEL");
        psi.Environment.Remove("NOTIFY_SOCKET");
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        _process = Process.Start(psi)!;
        Stdin = _process.StandardInput.BaseStream;
        _readers = Task.WhenAll(Pump(_process.StandardOutput, _stdout), Pump(_process.StandardError, _stderr));
    }

    public Stream Stdin { get; }

    public int Pid => _process.Id;

    public IReadOnlyList<string> StdoutLines => [.. _stdout];

    public IReadOnlyList<string> StderrLines => [.. _stderr];

    public string AllOutput => string.Join("\n", StdoutLines) + "\n" + string.Join("\n", StderrLines);

    /// <summary>The event objects printed on stdout so far.</summary>
    public List<JsonElement> Events => StdoutLines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private static string DotnetHost
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
            string? self = Environment.ProcessPath;
            return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        }
    }

    private async Task Pump(StreamReader reader, ConcurrentQueue<string> into)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            into.Enqueue(line);
            _changed.Release();
        }
        _changed.Release();
    }

    /// <summary>Waits until some stdout or stderr line (or the set of lines) satisfies <paramref name="condition"/>.</summary>
    public void WaitFor(Func<ListenerProcess, bool> condition, string what, double timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(timeoutSeconds);
        while (!condition(this))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"timed out waiting for {what}\n{AllOutput}");
            if (_readers.IsCompleted && !condition(this)) throw new InvalidOperationException($"the listener exited (code {ExitCodeOrNull}) before {what}\n{AllOutput}");
            _changed.Wait(left);
        }
    }

    public void WaitForStderr(string fragment, double timeoutSeconds = 60)
        => WaitFor(p => p.StderrLines.Any(l => l.Contains(fragment, StringComparison.Ordinal)), $"stderr '{fragment}'", timeoutSeconds);

    private int? ExitCodeOrNull => _process.HasExited ? _process.ExitCode : null;

    public void CloseStdin() => Stdin.Close();

    public void Signal(PosixSignal signal) => Kill(_process.Id, signal == PosixSignal.SIGTERM ? 15 : signal == PosixSignal.SIGINT ? 2 : 9);

    public void KillHard() => Kill(_process.Id, 9);

    /// <summary>Waits for the exit; throws if it takes longer than <paramref name="timeoutSeconds"/>.</summary>
    public int WaitForExit(double timeoutSeconds = 90)
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the listener did not exit within {timeoutSeconds} s\n{AllOutput}");
        }
        _readers.Wait(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    /// <summary>Resident set size of the listener in KiB (from /proc).</summary>
    public long RssKiB()
    {
        foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return -1;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
