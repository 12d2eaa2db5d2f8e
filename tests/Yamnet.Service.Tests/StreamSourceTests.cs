using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Yamnet.Service.Tests;

/// <summary>
/// Network streams through the supervised ffmpeg: a loopback HTTP server serves a live WAV stream that
/// first stalls (sends audio, then nothing), is then cut (connection closed, server down), and is
/// restored; the listener restarts ffmpeg each time and carries on. The URL carries a password that
/// must never appear in any output.
/// </summary>
public sealed class StreamSourceTests
{
    private const string Password = "s3cr3t-Pw";

    [Fact]
    public void A_stalled_then_cut_stream_is_restarted_and_the_password_never_shows()
    {
        int port = Ports.Free();
        byte[] audio = Audio.Bytes(Audio.Concat(Audio.Meow, Audio.Silence(1)));
        var server = new LiveWavServer(port);
        string dir = Yamnet.Tests.TestAssets.NewTempDir("stream");
        string config = Path.Combine(dir, "listen.yaml");
        File.WriteAllText(config, $"""
            sources:
              - name: cam
                input: "http://viewer:{Password}@127.0.0.1:{port}/live.wav?token=tok-{Password}"
                overflow: block
                stall_seconds: 2
                restart_initial_seconds: 0.2
                restart_max_seconds: 0.5
            events:
              labels: [Cat]
            """);
        using var listener = new ListenerProcess(["--config", config]);

        // 1: audio, then the connection stays open with nothing more: the watchdog restarts ffmpeg.
        var first = server.Accept();
        first.Send(audio);
        listener.WaitFor(p => p.Events.Any(e => e.GetProperty("type").GetString() == "end"), "the first run's events");
        listener.WaitForStderr("stalled");
        first.Close();

        // 2: the server is down for a while (connection refused), then back: ffmpeg is restarted with backoff.
        server.Stop();
        listener.WaitFor(p => p.StderrLines.Count(l => l.Contains("restarting in")) >= 2, "a restart while the server is down");
        server = new LiveWavServer(port);
        var second = server.Accept();
        int before = listener.Events.Count;
        second.Send(audio);
        second.Close(); // the cut: the stream ends, ffmpeg exits, and is restarted again
        listener.WaitFor(p => p.Events.Count >= before + 2 && p.Events.Skip(before).Any(e => e.GetProperty("type").GetString() == "end"), "events after the restore");
        server.Stop();

        listener.Signal(PosixSignal.SIGTERM);
        listener.WaitForExit(5).Should().Be(0, listener.AllOutput);
        listener.AllOutput.Should().NotContain(Password);
        listener.StderrLines.Should().Contain(l => l.Contains("http://viewer:***@127.0.0.1") || l.Contains("viewer:***"));
        listener.Events.Where(e => e.GetProperty("type").GetString() == "start").Select(e => e.GetProperty("start_seconds").GetDouble())
            .Count(s => s == 0).Should().BeGreaterThanOrEqualTo(2, "each run starts its stream time again");
    }

    [Fact]
    public void A_missing_ffmpeg_is_one_clear_error_naming_the_package()
    {
        string dir = Yamnet.Tests.TestAssets.NewTempDir("noffmpeg");
        string config = Path.Combine(dir, "listen.yaml");
        File.WriteAllText(config, """
            sources:
              - input: rtsp://camera.local/stream
                ffmpeg: /nonexistent/ffmpeg
            """);
        using var listener = new ListenerProcess(["--config", config]);
        listener.WaitForExit(60).Should().Be(2, listener.AllOutput);
        listener.StderrLines.Should().ContainSingle().Which.Should().Contain("sources[0].input").And.Contain("apt-get install ffmpeg");
    }

    /// <summary>A one-client-at-a-time HTTP server answering with a WAV stream of open length.</summary>
    private sealed class LiveWavServer
    {
        private readonly TcpListener _listener;

        public LiveWavServer(int port)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
        }

        public Client Accept()
        {
            var task = _listener.AcceptTcpClientAsync();
            if (!task.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException("ffmpeg did not connect");
            return new Client(task.Result);
        }

        public void Stop() => _listener.Stop();

        public sealed class Client
        {
            private readonly TcpClient _tcp;
            private readonly NetworkStream _stream;

            public Client(TcpClient tcp)
            {
                _tcp = tcp;
                _stream = tcp.GetStream();
                var reader = new StreamReader(_stream, Encoding.ASCII, false, 1, leaveOpen: true);
                string? line;
                while (!string.IsNullOrEmpty(line = reader.ReadLine()))
                    if (line.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase)) Authorization = line["Authorization:".Length..].Trim();
                _stream.Write(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nConnection: close\r\n\r\n"));
                _stream.Write(Audio.StreamingWavHeader());
            }

            public string? Authorization { get; private set; }

            public void Send(byte[] bytes)
            {
                _stream.Write(bytes);
                _stream.Flush();
            }

            public void Close() => _tcp.Close();
        }
    }
}
