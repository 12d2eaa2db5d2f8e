using System.Diagnostics;
using System.Text;

namespace Yamnet.Cli.Tests;

public sealed record CliResult(int ExitCode, byte[] StdoutBytes, string Stderr)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs the real yamnet binary (copied into the test output by the project reference) as a child process.</summary>
public static class CliRunner
{
    public static string YamnetDll { get; } = Path.Combine(AppContext.BaseDirectory, "yamnet.dll");

    internal static string DotnetHost
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
            string? self = Environment.ProcessPath;
            if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
            return "dotnet";
        }
    }

    public static CliResult Run(params string[] args) => RunAsync(args).GetAwaiter().GetResult();

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, workingDirectory: null);

    /// <summary>Runs yamnet, or with <paramref name="program"/> that program (e.g. bash for a redirection) with <paramref name="args"/>.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment = null, string? program = null)
    {
        var psi = new ProcessStartInfo(program ?? DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        if (program is null)
        {
            psi.ArgumentList.Add("exec");
            psi.ArgumentList.Add(YamnetDll);
        }
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("YAMNET_MODEL");
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;

        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var readErr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("yamnet " + string.Join(' ', args) + " did not finish in 90 s");
        }
        await copyOut;
        string err = await readErr;
        return new CliResult(process.ExitCode, stdout.ToArray(), err);
    }
}

/// <summary>Parses the CLI's CSV output (file,window,start_seconds,end_seconds,rank,index,label,score[,mid]).</summary>
public readonly record struct CliCsvRow(string File, string Window, double StartSeconds, double EndSeconds, int Rank, int Index, string Label, float Score, string? Mid)
{
    public static List<CliCsvRow> Parse(string csv, bool expectMid = false)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("file,window,start_seconds,end_seconds,rank,index,label,score" + (expectMid ? ",mid" : ""));
        var ic = System.Globalization.CultureInfo.InvariantCulture;
        return lines.Skip(1).Select(l =>
        {
            var f = Yamnet.Classification.Csv.Split(l);
            f.Count.Should().Be(expectMid ? 9 : 8, l);
            return new CliCsvRow(f[0], f[1], double.Parse(f[2], ic), double.Parse(f[3], ic), int.Parse(f[4], ic), int.Parse(f[5], ic), f[6],
                float.Parse(f[7], ic), expectMid ? f[8] : null);
        }).ToList();
    }
}
