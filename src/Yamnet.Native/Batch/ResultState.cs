namespace Yamnet.Batch;

/// <summary>What <see cref="ResultDirectory.Check"/> found at an input's result path.</summary>
public enum ResultState
{
    /// <summary>No result yet: classify the input.</summary>
    Missing,

    /// <summary>A result made with the same fingerprint: skip the input.</summary>
    Done,

    /// <summary>
    /// A file that is not this run's result (the user's, or one made with another model or options):
    /// replace it only when overwriting was asked for.
    /// </summary>
    Foreign,
}
