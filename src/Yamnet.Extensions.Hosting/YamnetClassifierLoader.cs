using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Yamnet.Classification;

namespace Yamnet.Extensions.Hosting;

/// <summary>
/// Resolves the classifier while the host starts (unless <see cref="YamnetOptions.LoadOnStart"/> is
/// false), so a missing or invalid model stops the app at once with the library's error instead of
/// failing the first window minutes later.
/// </summary>
internal sealed class YamnetClassifierLoader(IServiceProvider services, IOptions<YamnetOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (options.Value.LoadOnStart) services.GetRequiredService<AudioClassifier>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
