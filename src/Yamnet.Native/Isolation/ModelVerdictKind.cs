namespace Yamnet.Isolation;

/// <summary>What a trial run of a model in a child process showed.</summary>
public enum ModelVerdictKind
{
    /// <summary>A model in <see cref="Yamnet.TfLite.KnownModels"/>: verified end to end, no trial needed.</summary>
    Known,

    /// <summary>The child loaded the model, built the interpreter with the same settings and ran it.</summary>
    Ran,

    /// <summary>The child refused the model with an error (validation or TFLite status): the same error will show in-process, safely.</summary>
    Refused,

    /// <summary>The child died of a signal (SIGSEGV, SIGABRT, ...): running it in this process would crash it.</summary>
    Crashed,

    /// <summary>The child did not finish within the timeout.</summary>
    Hung,
}
