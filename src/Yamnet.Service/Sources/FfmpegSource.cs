using System.Diagnostics;
using System.Globalization;
using Yamnet.Live;

namespace Yamnet.Service.Sources;

/// <summary>
/// One run of <c>ffmpeg -nostdin -vn -i URL -f s16le -ar &lt;rate&gt; -ac 1 pipe:1</c> (plus
/// <c>-hide_banner -loglevel warning</c>, and <c>-flush_packets 1</c> so audio is not held in ffmpeg's output buffer): a network stream
/// (rtsp, http, ...) or any file ffmpeg decodes, delivered as the model's rate in mono. The source
/// ends when ffmpeg exits or closes its output; a watchdog kills ffmpeg when no audio came for
/// stall_seconds (a stream that hangs without closing; before the first audio at least
/// <see cref="StartupGraceSeconds"/>, for connecting and probing), which ends it too. Restarting is the
/// caller's (<see cref="Hosting.SourceRunner"/>, with backoff). ffmpeg's stderr is read line by line,
/// masked (the URL's password never shows), its first lines logged and the rest summarised at exit
/// in <see cref="ExitSummary"/>.
/// </summary>
public sealed class FfmpegSource : ILiveSource
{
    private const int LoggedLines = 3;

    /// <summary>Before its first audio ffmpeg may take this long (connecting, probing the stream) whatever stall_seconds says.</summary>
    private const double StartupGraceSeconds = 10;

    private readonly Process _process;
    private readonly PcmStreamSource _pcm;
    private readonly Timer _watchdog;
    private readonly IReadOnlyList<string> _secrets;
    private readonly Action<string> _log;
    private readonly double _stallSeconds;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly Task _stderr;
    private long _lastData = Environment.TickCount64;
    private int _stderrLines;
    private string? _lastStderr;
    private volatile bool _stalled;
    private volatile bool _gotData;

    private FfmpegSource(Process process, string name, int sampleRate, IReadOnlyList<string> secrets, double stallSeconds, Action<string> log)
    {
        _process = process;
        _secrets = secrets;
        _log = log;
        _stallSeconds = stallSeconds;
        Name = name;
        _pcm = new PcmStreamSource(process.StandardOutput.BaseStream, name, sampleRate, sampleRate, 1);
        _stderr = Task.Run(ReadStderr);
        _watchdog = new Timer(_ => Watch(), null, 250, 250);
    }

    public string Name { get; }

    public int SampleRate => _pcm.SampleRate;

    public long Overruns => 0;

    /// <summary>True once ffmpeg was killed because no audio came for stall_seconds.</summary>
    public bool Stalled => _stalled;

    /// <summary>ffmpeg's exit code once it exited.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Starts ffmpeg on <paramref name="input"/> (a URL or path).</summary>
    /// <exception cref="FfmpegNotFoundException">The binary is missing.</exception>
    public static FfmpegSource Start(string ffmpeg, string input, string name, int sampleRate, double stallSeconds, Action<string> log)
    {
        string binary = FfmpegNotFoundException.Locate(ffmpeg) ?? throw new FfmpegNotFoundException(ffmpeg);
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (string a in (string[])["-nostdin", "-hide_banner", "-loglevel", "warning", "-vn", "-i", input,
            "-f", "s16le", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-ac", "1", "-flush_packets", "1", "pipe:1"])
            info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new FfmpegNotFoundException(ffmpeg);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new FfmpegNotFoundException(ffmpeg);
        }
        return new FfmpegSource(process, name, sampleRate, SecretMasker.SecretsOf(input), stallSeconds, log);
    }

    public int Read(Span<float> destination, CancellationToken cancellationToken)
    {
        using var kill = cancellationToken.Register(Kill);
        int n = _pcm.Read(destination, cancellationToken);
        if (n > 0)
        {
            Interlocked.Exchange(ref _lastData, Environment.TickCount64);
            _gotData = true;
        }
        return n;
    }

    /// <summary>How the run ended, for the log: exit code or signal, run time, stderr lines and the last one (masked).</summary>
    public string ExitSummary()
    {
        _process.WaitForExit(2000);
        _stderr.Wait(1000);
        string how = _stalled ? $"stalled (no audio for {_stallSeconds:0.#} s), killed"
            : _process.HasExited ? $"exited with code {_process.ExitCode}" : "still running";
        lock (_lock)
        {
            string tail = _lastStderr is null ? "no messages" : $"{_stderrLines} message line{(_stderrLines == 1 ? "" : "s")}, last: {_lastStderr}";
            return string.Create(CultureInfo.InvariantCulture, $"ffmpeg {how} after {_clock.Elapsed.TotalSeconds:0.0} s ({tail})");
        }
    }

    private void Watch()
    {
        if (_process.HasExited || _stalled) return;
        double limit = _gotData ? _stallSeconds : Math.Max(_stallSeconds, StartupGraceSeconds);
        if (Environment.TickCount64 - Interlocked.Read(ref _lastData) < limit * 1000) return;
        _stalled = true;
        Kill();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    private async Task ReadStderr()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Trim().Length == 0) continue;
                string masked = SecretMasker.MaskText(line.Trim(), _secrets);
                int count;
                lock (_lock)
                {
                    count = ++_stderrLines;
                    _lastStderr = masked;
                }
                if (count <= LoggedLines) _log($"{Name}: ffmpeg: {masked}");
                else if (count == LoggedLines + 1) _log($"{Name}: ffmpeg: further messages summarised when it exits");
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        _watchdog.Dispose();
        Kill();
        _process.WaitForExit(2000);
        _pcm.Dispose();
        _process.Dispose();
    }
}
