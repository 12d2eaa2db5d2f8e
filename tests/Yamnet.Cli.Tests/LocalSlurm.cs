using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Yamnet.Cli.Tests;

/// <summary>
/// A real single-node Slurm (Debian's slurm-wlm with munge) for one test: its own munge key,
/// slurm.conf and state in a temp directory, daemons on 127.0.0.1 on free ports, run in the
/// foreground as children of the test and stopped by <see cref="DisposeAsync"/>. Clients reach it
/// through <c>SLURM_CONF</c> (<see cref="Environment"/>).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalSlurm : IAsyncDisposable
{
    private readonly List<Process> _daemons = [];
    private readonly string _dir;

    private LocalSlurm(string dir)
    {
        _dir = dir;
        Environment = new Dictionary<string, string?> { ["SLURM_CONF"] = Path.Combine(dir, "slurm.conf") };
    }

    /// <summary>Environment variables a Slurm client (sbatch, sinfo) needs to reach this cluster.</summary>
    public Dictionary<string, string?> Environment { get; }

    public static async Task<LocalSlurm> StartAsync(string dir)
    {
        var slurm = new LocalSlurm(dir);
        try
        {
            await slurm.StartDaemonsAsync();
            return slurm;
        }
        catch
        {
            await slurm.DisposeAsync();
            throw;
        }
    }

    private async Task StartDaemonsAsync()
    {
        string munge = Path.Combine(_dir, "munge");
        Directory.CreateDirectory(munge);
        foreach (string d in new[] { "state", "spool", "log" }) Directory.CreateDirectory(Path.Combine(_dir, d));
        File.SetUnixFileMode(munge, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        string key = Path.Combine(munge, "munge.key");
        File.WriteAllBytes(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string socket = Path.Combine(munge, "sock");
        Start("munged", "-F", "-f", "--socket=" + socket, "--key-file=" + key, "--log-file=" + Path.Combine(_dir, "log", "munged.log"),
            "--pid-file=" + Path.Combine(munge, "pid"), "--seed-file=" + Path.Combine(munge, "seed"));
        await Until(() => File.Exists(socket), "munged to create its socket");

        string host = System.Environment.MachineName;
        File.WriteAllText(Path.Combine(_dir, "slurm.conf"), $"""
            ClusterName=yamnettest
            SlurmctldHost={host}(127.0.0.1)
            SlurmctldPort={FreePort()}
            SlurmdPort={FreePort()}
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            AuthInfo=socket={socket}
            CredType=cred/munge
            StateSaveLocation={_dir}/state
            SlurmdSpoolDir={_dir}/spool
            SlurmctldPidFile={_dir}/slurmctld.pid
            SlurmdPidFile={_dir}/slurmd.pid
            SlurmctldLogFile={_dir}/log/slurmctld.log
            SlurmdLogFile={_dir}/log/slurmd.log
            ProctrackType=proctrack/pgid
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_CPU
            MpiDefault=none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            ReturnToService=2
            InactiveLimit=0
            KillWait=5
            NodeName={host} NodeAddr=127.0.0.1 CPUs={System.Environment.ProcessorCount} RealMemory=1000 State=UNKNOWN
            PartitionName=test Nodes={host} Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES

            """);
        Start("slurmctld", "-D", "-i");
        Start("slurmd", "-D");
        await Until(() => Client("sinfo", "-h", "-o", "%t").Trim() == "idle", "the node to be idle (see " + Path.Combine(_dir, "log") + ")");
    }

    private void Start(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in Environment) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        // Drain the pipes so a chatty daemon never blocks on a full pipe.
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _daemons.Add(p);
    }

    /// <summary>Runs a Slurm client command against this cluster and returns its stdout ("" on failure).</summary>
    public string Client(params string[] args)
    {
        var psi = new ProcessStartInfo(args[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args.Skip(1)) psi.ArgumentList.Add(a);
        foreach (var (k, v) in Environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        _ = err.Result;
        return p.ExitCode == 0 ? output : "";
    }

    private async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (_daemons.FirstOrDefault(d => d.HasExited) is { } dead)
                throw new InvalidOperationException($"{dead.StartInfo.FileName} exited ({dead.ExitCode}) while waiting for {what}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemons.Count > 1) Client("scontrol", "shutdown");
        // Daemons stop in reverse order of start; whatever did not exit within 10 s is killed.
        for (int i = _daemons.Count - 1; i >= 0; i--)
        {
            var p = _daemons[i];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            if (!p.HasExited && p.StartInfo.FileName == "munged") p.Kill();
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
            p.Dispose();
        }
        _daemons.Clear();
    }
}
