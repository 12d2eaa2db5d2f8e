namespace Yamnet;

/// <summary>A model (or its labels) cannot be loaded or used. Subtypes: <see cref="TfLite.TfLiteException"/> (and its <see cref="TfLite.InvalidModelException"/>), <see cref="Classification.InvalidLabelsException"/>.</summary>
public class ModelException : YamnetException
{
    public ModelException(YamnetErrorCode errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}
