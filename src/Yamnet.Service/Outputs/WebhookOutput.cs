using System.Net.Http.Headers;
using Yamnet.Service.Configuration;

namespace Yamnet.Service.Outputs;

/// <summary>
/// POSTs each event's JSON to a URL. A request that fails (an error status, a timeout, no connection)
/// is retried after a delay that doubles from retry_initial_seconds up to retry_max_seconds, in order:
/// later events wait in a bounded queue (oldest dropped, counted, reported). The URL is logged masked.
/// </summary>
public sealed class WebhookOutput : IEventOutput
{
    private readonly WebhookConfig _config;
    private readonly Action<string> _log;
    private readonly BoundedOutbox<byte[]> _outbox;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _shownUrl;
    private Task? _loop;
    private volatile bool _draining;

    public WebhookOutput(WebhookConfig config, Action<string> log, HttpMessageHandler? handler = null)
    {
        _config = config;
        _log = log;
        _outbox = new BoundedOutbox<byte[]>(config.Queue);
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(config.TimeoutSeconds);
        _shownUrl = SecretMasker.MaskUrl(config.Url);
    }

    public string Name => "webhook";

    public Task<string> Fatal { get; } = new TaskCompletionSource<string>().Task;

    public string Summary => $"webhook {_shownUrl}: {_outbox.Delivered} delivered, {_outbox.Dropped} dropped (queue full), {_outbox.Count} undelivered";

    public void Start(IReadOnlyDictionary<string, IReadOnlyList<string>> watched) => _loop = Task.Run(RunAsync);

    public void Publish(ServiceEvent e)
    {
        if (!_outbox.Enqueue(EventJson.Serialize(e)) && DropReport.ShouldLog(_outbox.Dropped))
            _log($"webhook: queue full ({_outbox.Capacity} events): dropped the oldest, {_outbox.Dropped} dropped so far");
    }

    public void PublishLevel(string source, double rms, double dbfs)
    {
    }

    private async Task RunAsync()
    {
        double delay = _config.RetryInitialSeconds;
        bool failing = false;
        while (!_stop.IsCancellationRequested)
        {
            if (!_outbox.TryPeek(out var body))
            {
                if (_draining) return;
                await _outbox.WaitAsync(TimeSpan.FromSeconds(1), _stop.Token).ConfigureAwait(false);
                continue;
            }
            string? error;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _http.PostAsync(_config.Url, content, _stop.Token).ConfigureAwait(false);
                error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                error = e is TaskCanceledException ? $"no answer within {_config.TimeoutSeconds} s" : SecretMasker.MaskUrl(e.Message);
            }
            if (error is null)
            {
                _outbox.MarkDelivered(body);
                if (failing) _log($"webhook {_shownUrl}: delivering again");
                failing = false;
                delay = _config.RetryInitialSeconds;
                continue;
            }
            if (!failing) _log($"webhook {_shownUrl}: {error}; retrying with backoff ({_outbox.Count} queued)");
            failing = true;
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(delay), _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = Math.Min(delay * 2, _config.RetryMaxSeconds);
        }
    }

    public async Task StopAsync(TimeSpan deadline)
    {
        _draining = true;
        _outbox.Poke();
        if (_loop is not null && await Task.WhenAny(_loop, Task.Delay(deadline)).ConfigureAwait(false) != _loop) _stop.Cancel();
        if (_loop is not null) await _loop.ConfigureAwait(false);
        _http.Dispose();
    }
}
