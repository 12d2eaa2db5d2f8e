namespace Yamnet.Service.Configuration;

/// <summary>The configuration is invalid: <see cref="Errors"/> holds every problem, each prefixed with its config path.</summary>
public sealed class ServiceConfigException(IReadOnlyList<string> errors)
    : Exception(errors.Count == 1 ? errors[0] : $"{errors.Count} configuration errors: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
