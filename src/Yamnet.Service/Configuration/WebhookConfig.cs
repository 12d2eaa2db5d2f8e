namespace Yamnet.Service.Configuration;

/// <summary>The webhook output: each event's JSON POSTed to <see cref="Url"/>, retried with backoff.</summary>
public sealed class WebhookConfig
{
    public string Url { get; set; } = "";

    /// <summary>One request's timeout.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Events kept while the receiver fails; beyond it the oldest are dropped, counted and reported.</summary>
    public int Queue { get; set; } = 1000;

    public double RetryInitialSeconds { get; set; } = 0.5;

    public double RetryMaxSeconds { get; set; } = 30;

    internal void Validate(string path, List<string> errors)
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            errors.Add($"{path}.url: must be an http:// or https:// URL");
        if (!(TimeoutSeconds > 0 && TimeoutSeconds <= 600)) errors.Add($"{path}.timeout_seconds: must be 0–600 seconds");
        if (Queue < 1) errors.Add($"{path}.queue: must be at least 1");
        if (!(RetryInitialSeconds > 0 && double.IsFinite(RetryInitialSeconds))) errors.Add($"{path}.retry_initial_seconds: must be a positive number of seconds");
        if (!(RetryMaxSeconds >= RetryInitialSeconds && double.IsFinite(RetryMaxSeconds))) errors.Add($"{path}.retry_max_seconds: must be at least retry_initial_seconds");
    }
}
