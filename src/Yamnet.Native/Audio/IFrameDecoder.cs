namespace Yamnet.Audio;

/// <summary>What <see cref="AudioReader"/> decodes through: libsndfile, or the forward-only WAV stream parser.</summary>
internal interface IFrameDecoder : IDisposable
{
    string Name { get; }

    int Channels { get; }

    int SampleRate { get; }

    AudioFormatInfo Format { get; }

    /// <summary>
    /// Decodes up to <c>interleaved.Length / Channels</c> frames; returns 0 only at the real end
    /// (after checking the end is legitimate: a short body throws <see cref="TruncatedAudioException"/>).
    /// </summary>
    int ReadFrames(Span<float> interleaved);
}
