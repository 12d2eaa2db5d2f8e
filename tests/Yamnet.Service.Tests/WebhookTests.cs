using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Yamnet.Service.Tests;

/// <summary>The webhook output against a loopback receiver that fails its first requests.</summary>
public sealed class WebhookTests
{
    [Fact]
    public void Retries_deliver_every_event_in_order_when_the_receiver_fails_at_first()
    {
        const int failures = 3;
        int port = Ports.Free();
        using var http = new HttpListener();
        http.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        http.Start();
        var bodies = new ConcurrentQueue<string>();
        int requests = 0;
        var server = Task.Run(async () =>
        {
            while (http.IsListening)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = await http.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8);
                string body = await reader.ReadToEndAsync();
                bool fail = Interlocked.Increment(ref requests) <= failures;
                if (!fail) bodies.Enqueue(body);
                ctx.Response.StatusCode = fail ? 503 : 200;
                ctx.Response.Close();
            }
        });

        string dir = Yamnet.Tests.TestAssets.NewTempDir("webhook");
        string config = Path.Combine(dir, "listen.json");
        File.WriteAllText(config, $$"""
            {
              "sources": [ { "name": "hall", "input": "-" } ],
              "events": { "labels": ["Cat"] },
              "outputs": { "stdout": true, "webhook": { "url": "http://127.0.0.1:{{port}}/hook/", "retry_initial_seconds": 0.05, "retry_max_seconds": 0.2, "timeout_seconds": 5 } }
            }
            """);
        using var listener = new ListenerProcess(["--config", config]);
        listener.Stdin.Write(Audio.Bytes(Audio.Meow));
        listener.CloseStdin();
        listener.WaitForExit().Should().Be(0, listener.AllOutput);
        http.Stop();

        listener.StdoutLines.Should().HaveCountGreaterThanOrEqualTo(2);
        bodies.Should().Equal(listener.StdoutLines, "every event printed was POSTed, in order, despite the failures");
        requests.Should().Be(listener.StdoutLines.Count + failures);
        listener.StderrLines.Should().Contain(l => l.Contains("HTTP 503") && l.Contains("retrying"));
        listener.StderrLines.Should().Contain(l => l.Contains($"{listener.StdoutLines.Count} delivered, 0 dropped"));
    }
}
