namespace Yamnet.Audio;

/// <summary>
/// What the source file is, as libsndfile reports it, before any downmix or resampling.
/// </summary>
/// <param name="Container">Container name from libsndfile, e.g. "WAV (Microsoft)", "FLAC (Free Lossless Audio Codec)", "OGG (OGG Container format)", "MPEG-1/2 Audio".</param>
/// <param name="Codec">Codec or sample encoding, e.g. "Signed 16 bit PCM", "32 bit float", "Vorbis", "MPEG Layer 3".</param>
/// <param name="SampleRate">Source sample rate in Hz.</param>
/// <param name="Channels">Source channel count.</param>
/// <param name="Frames">Frames (samples per channel) the header declares; for compressed formats libsndfile's count.</param>
/// <param name="Extension">Usual file extension of the container ("wav", "flac", "oga", "mp3").</param>
/// <param name="NativeFormat">The raw libsndfile <c>SF_INFO.format</c> value (major | subtype | endianness).</param>
public sealed record AudioFormatInfo(
    string Container,
    string Codec,
    int SampleRate,
    int Channels,
    long Frames,
    string Extension,
    int NativeFormat)
{
    /// <summary>
    /// False when the source does not say how long it is: a FLAC or Ogg written to a pipe (legal
    /// "unknown length", which libsndfile reports as the largest frame count) or a damaged header.
    /// </summary>
    public bool LengthKnown => Frames > 0 && Frames < long.MaxValue && SampleRate > 0 && Frames / (double)SampleRate < TimeSpan.MaxValue.TotalSeconds / 2;

    /// <summary>Duration of the source: <see cref="Frames"/> / <see cref="SampleRate"/>; zero when the length is not known (<see cref="LengthKnown"/>).</summary>
    public TimeSpan Duration => LengthKnown ? TimeSpan.FromSeconds((double)Frames / SampleRate) : TimeSpan.Zero;

    /// <summary>True when the codec is 16-bit integer PCM (the only case whose float decode is int16 / 32768 exactly).</summary>
    public bool IsPcm16 => (NativeFormat & 0xFFFF) == 0x0002;

    public override string ToString()
        => $"{Container}, {Codec}, {SampleRate} Hz, {Channels} ch, {Frames} frames ({Duration.TotalSeconds:0.###} s)";
}
