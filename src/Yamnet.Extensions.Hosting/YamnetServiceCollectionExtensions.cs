using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yamnet.Classification;

namespace Yamnet.Extensions.Hosting;

/// <summary>Registers Yamnet in an <see cref="IServiceCollection"/>.</summary>
public static class YamnetServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="AudioClassifier"/> singleton (shared by every consumer: sessions are
    /// leased per call, so one classifier serves all threads) built from <see cref="YamnetOptions"/>,
    /// logging through the container's <see cref="ILoggerFactory"/>. The options are validated when
    /// the host starts (<c>ValidateOnStart</c>): a bad value fails <c>StartAsync</c> with an
    /// <see cref="OptionsValidationException"/> naming the option. The container disposes the classifier.
    /// </summary>
    public static IServiceCollection AddYamnet(this IServiceCollection services, Action<YamnetOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<YamnetOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<YamnetOptions>, YamnetOptionsValidator>());
        services.TryAddSingleton(CreateClassifier);
        // Registered as it is called: an app adds its own workers after AddYamnet, and hosted
        // services start in registration order, so the model is loaded before they run.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, YamnetClassifierLoader>());
        return services;
    }

    private static AudioClassifier CreateClassifier(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<YamnetOptions>>().Value;
        var classifierOptions = options.Classifier.LoggerFactory is null
            ? options.Classifier with { LoggerFactory = services.GetService<ILoggerFactory>() }
            : options.Classifier;
        return AudioClassifier.Load(options.ModelPath, classifierOptions);
    }
}
