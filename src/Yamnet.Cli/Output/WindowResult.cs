using Yamnet.Audio;
using Yamnet.Classification;

namespace Yamnet.Cli.Output;

/// <summary>One classified window and its ranked classes.</summary>
public readonly record struct WindowResult(AudioWindow Window, ScoredClass[] Classes);
