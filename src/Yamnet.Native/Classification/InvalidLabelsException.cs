namespace Yamnet.Classification;

/// <summary>A class map CSV is malformed or does not match the model's classes (was a <see cref="FormatException"/> before 0.2).</summary>
public sealed class InvalidLabelsException : ModelException
{
    public InvalidLabelsException(string message, string? fileName = null)
        : base(YamnetErrorCode.InvalidLabels, message)
    {
        FileName = fileName;
    }

    /// <summary>The label file.</summary>
    public string? FileName { get; }
}
