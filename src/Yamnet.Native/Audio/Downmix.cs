namespace Yamnet.Audio;

/// <summary>Averages interleaved frames to mono (the model hears the mean of the channels).</summary>
internal static class Downmix
{
    /// <summary>Writes the channel mean of each frame of <paramref name="interleaved"/> to <paramref name="mono"/>.</summary>
    internal static void Average(ReadOnlySpan<float> interleaved, int channels, Span<float> mono)
    {
        int frames = interleaved.Length / channels;
        if (channels == 1)
        {
            interleaved[..frames].CopyTo(mono);
        }
        else if (channels == 2)
        {
            for (int i = 0; i < frames; i++) mono[i] = (interleaved[2 * i] + interleaved[2 * i + 1]) / 2f;
        }
        else
        {
            for (int i = 0; i < frames; i++)
            {
                float sum = 0;
                ReadOnlySpan<float> frame = interleaved.Slice(i * channels, channels);
                for (int c = 0; c < frame.Length; c++) sum += frame[c];
                mono[i] = sum / channels;
            }
        }
    }
}
