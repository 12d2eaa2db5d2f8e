namespace Yamnet.Audio;

/// <summary>A container format libsndfile reads: its name ("WAV (Microsoft)") and usual file extension ("wav").</summary>
public sealed record AudioFileFormat(string Name, string Extension);
