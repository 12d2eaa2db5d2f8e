using Microsoft.Extensions.Options;

namespace Yamnet.Extensions.Hosting;

/// <summary>
/// Checks <see cref="YamnetOptions"/> at start. Reuses the library's own Validate methods (so the
/// rules live in one place) and prefixes each message with the option's path, e.g.
/// <c>Yamnet:Classification.MaxResults</c>, which is what the host prints when it refuses to start.
/// </summary>
internal sealed class YamnetOptionsValidator : IValidateOptions<YamnetOptions>
{
    public ValidateOptionsResult Validate(string? name, YamnetOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ModelPath))
            failures.Add("Yamnet:ModelPath is required (the .tflite model file).");
        else if (!File.Exists(options.ModelPath))
            failures.Add($"Yamnet:ModelPath: no file at '{Path.GetFullPath(options.ModelPath)}'.");

        if (options.Classifier is null) failures.Add("Yamnet:Classifier must not be null.");
        else
        {
            Check("Classifier", options.Classifier.Validate, failures);
            if (options.Classifier.Interpreter is { Threads: < 1 } interpreter)
                failures.Add($"Yamnet:Classifier.Interpreter.Threads must be at least 1 (was {interpreter.Threads}).");
        }

        if (options.Classification is null) failures.Add("Yamnet:Classification must not be null.");
        else Check("Classification", options.Classification.Validate, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string section, Action validate, List<string> failures)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            // ArgumentException appends "(Parameter 'X')" to Message; the option path replaces it.
            string message = e is ArgumentOutOfRangeException { ActualValue: { } value }
                ? $"{FirstLine(e.Message)} (was {value})"
                : FirstLine(e.Message);
            failures.Add($"Yamnet:{section}.{e.ParamName}: {message}");
        }
    }

    private static string FirstLine(string message)
    {
        int cut = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf('\n');
        return (cut < 0 ? message : message[..cut]).Trim();
    }
}
