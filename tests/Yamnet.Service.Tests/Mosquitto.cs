using System.Diagnostics;

namespace Yamnet.Service.Tests;

/// <summary>A real mosquitto broker on 127.0.0.1 and a free port, in its own temp dir, started and stopped by the test.</summary>
public sealed class Mosquitto : IDisposable
{
    private readonly string _conf;
    private Process? _process;

    /// <param name="users">user → password; when given, anonymous clients are refused.</param>
    /// <param name="tls">Also a TLS listener on <see cref="TlsPort"/> with this server certificate.</param>
    public Mosquitto(IReadOnlyDictionary<string, string>? users = null, TestCertificates? tls = null)
    {
        Dir = Yamnet.Tests.TestAssets.NewTempDir("mosquitto");
        Port = Ports.Free();
        var lines = new List<string>
        {
            $"listener {Port} 127.0.0.1",
            "persistence true",
            $"persistence_location {Dir}/",
            "log_dest stderr",
        };
        if (users is { Count: > 0 })
        {
            string passwords = Path.Combine(Dir, "passwd");
            File.WriteAllText(passwords, "");
            foreach (var (user, password) in users) Run("mosquitto_passwd", "-b", passwords, user, password);
            lines.Add("allow_anonymous false");
            lines.Add($"password_file {passwords}");
        }
        else lines.Add("allow_anonymous true");
        if (tls is not null)
        {
            TlsPort = Ports.Free();
            lines.AddRange([$"listener {TlsPort} 127.0.0.1", $"cafile {tls.CaFile}", $"certfile {tls.ServerCertFile}", $"keyfile {tls.ServerKeyFile}"]);
        }
        _conf = Path.Combine(Dir, "mosquitto.conf");
        File.WriteAllLines(_conf, lines);
        Start();
    }

    public string Dir { get; }

    public int Port { get; }

    public string Url => $"mqtt://127.0.0.1:{Port}";

    /// <summary>The TLS listener's port (0 without TLS).</summary>
    public int TlsPort { get; }

    public void Start()
    {
        var psi = new ProcessStartInfo("mosquitto") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(_conf);
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        if (!Ports.WaitListening(Port, TimeSpan.FromSeconds(20))) throw new InvalidOperationException($"mosquitto did not listen on {Port}");
        if (TlsPort != 0 && !Ports.WaitListening(TlsPort, TimeSpan.FromSeconds(20))) throw new InvalidOperationException($"mosquitto did not listen on {TlsPort}");
    }

    /// <summary>Stops the broker (SIGTERM: it saves its persistent sessions, as on a reboot) and waits for it to exit.</summary>
    public void Stop()
    {
        if (_process is null) return;
        Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
        _process.WaitForExit(10_000);
        _process.Dispose();
        _process = null;
    }

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(file, args)!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed");
    }

    public void Dispose()
    {
        try
        {
            _process?.Kill();
            _process?.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
