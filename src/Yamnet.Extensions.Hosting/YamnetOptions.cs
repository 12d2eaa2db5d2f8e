using Yamnet.Analysis;
using Yamnet.Classification;

namespace Yamnet.Extensions.Hosting;

/// <summary>
/// What <see cref="YamnetServiceCollectionExtensions.AddYamnet"/> builds. A mutable class (not a
/// record) because the options pattern configures one instance in place; validated once, when the
/// host starts, so a wrong path or value stops the app before any work instead of at first use.
/// </summary>
public sealed class YamnetOptions
{
    /// <summary>The .tflite model file (required; must exist).</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>
    /// How the classifier is made (interpreter threads and delegate, labels, expected SHA-256, extra
    /// outputs, idle sessions). Its <see cref="AudioClassifierOptions.LoggerFactory"/>, when null,
    /// becomes the host's <c>ILoggerFactory</c>.
    /// </summary>
    public AudioClassifierOptions Classifier { get; set; } = new();

    /// <summary>What a window result reports and how windows are placed, for the app's own calls (<c>ClassifyAsync(…, options.Classification, ct)</c>).</summary>
    public ClassificationOptions Classification { get; set; } = new();

    /// <summary>
    /// Load the model while the host starts (default true): a model that is not a model fails
    /// <c>StartAsync</c> rather than the first request. False defers it to the first resolution.
    /// </summary>
    public bool LoadOnStart { get; set; } = true;
}
