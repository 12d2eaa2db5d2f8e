using System.Diagnostics;

namespace Yamnet.Service.Tests;

/// <summary>
/// A throwaway certificate authority and a server certificate for 127.0.0.1 signed by it, made with
/// openssl in a fresh temp dir (EC P-256: fast to generate). <see cref="Create"/> with another name gives
/// an unrelated CA, to show a broker certificate the listener must not trust.
/// </summary>
public sealed class TestCertificates
{
    private TestCertificates(string dir) => Dir = dir;

    public string Dir { get; }

    public string CaFile => Path.Combine(Dir, "ca.crt");

    public string ServerCertFile => Path.Combine(Dir, "server.crt");

    public string ServerKeyFile => Path.Combine(Dir, "server.key");

    public static TestCertificates Create(string caName = "yamnet test CA")
    {
        var c = new TestCertificates(Yamnet.Tests.TestAssets.NewTempDir("certs"));
        string ext = Path.Combine(c.Dir, "server.ext");
        File.WriteAllText(ext, "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n");
        OpenSsl(c.Dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
            "-days", "2", "-subj", "/CN=" + caName);
        OpenSsl(c.Dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        OpenSsl(c.Dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", ext);
        // mosquitto started as root drops to its own user before reading the key: let it read these throwaway files.
        foreach (string f in Directory.GetFiles(c.Dir)) File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return c;
    }

    private static void OpenSsl(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("openssl") { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        _ = stdout.Result;
        if (p.ExitCode != 0) throw new InvalidOperationException($"openssl {args[0]} failed: {err}");
    }
}
