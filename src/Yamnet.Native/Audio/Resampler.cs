using System.Runtime.InteropServices;
using Yamnet.Interop;
using Soxr = Yamnet.Interop.Interop.Soxr;

namespace Yamnet.Audio;

/// <summary>
/// Streaming sample-rate converter over libsoxr (high quality, float32 interleaved). Feed input with
/// <see cref="Process"/> as it arrives, then call <see cref="Flush"/> until it returns 0 to drain the
/// filter tail. Spans hold interleaved frames, so their lengths must be multiples of <see cref="Channels"/>.
/// </summary>
public sealed class Resampler : IDisposable
{
    private readonly SafeSoxrHandle _handle;

    public Resampler(double inputRate, double outputRate, int channels = 1)
    {
        if (!(inputRate > 0 && inputRate <= SndFileDecoder.MaxSampleRate))
            throw new ArgumentOutOfRangeException(nameof(inputRate), inputRate, $"Input rate must be in (0, {SndFileDecoder.MaxSampleRate}] Hz.");
        if (!(outputRate > 0 && outputRate <= SndFileDecoder.MaxSampleRate))
            throw new ArgumentOutOfRangeException(nameof(outputRate), outputRate, $"Output rate must be in (0, {SndFileDecoder.MaxSampleRate}] Hz.");
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, SndFileDecoder.MaxChannels);

        InputRate = inputRate;
        OutputRate = outputRate;
        Channels = channels;
        unsafe
        {
            var io = Soxr.soxr_io_spec(Soxr.DataTypes.SOXR_FLOAT32_I, Soxr.DataTypes.SOXR_FLOAT32_I);
            var quality = Soxr.soxr_quality_spec(new CULong(Soxr.Recipes.SOXR_HQ), new CULong(0));
            nint error = 0;
            _handle = Soxr.soxr_create(inputRate, outputRate, (uint)channels, &error, &io, &quality, null);
            if (error != 0 || _handle.IsInvalid)
            {
                _handle.Dispose();
                ThrowSoxr(error, "creating the resampler");
            }
        }
    }

    public double InputRate { get; }

    public double OutputRate { get; }

    public int Channels { get; }

    /// <summary>Resamples as much of <paramref name="input"/> as fits; unconsumed input must be offered again.</summary>
    public unsafe void Process(ReadOnlySpan<float> input, Span<float> output, out int consumed, out int written)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        ThrowIfNotWholeFrames(input.Length, nameof(input));
        ThrowIfNotWholeFrames(output.Length, nameof(output));
        nuint idone = 0, odone = 0;
        nint error;
        // An empty input span still needs a non-null pointer: null is soxr's end-of-input signal.
        float dummy = 0;
        fixed (float* pin = input)
        fixed (float* pout = output)
        {
            error = Soxr.soxr_process(_handle, pin == null ? &dummy : pin, (nuint)(input.Length / Channels), &idone,
                pout == null ? &dummy : pout, (nuint)(output.Length / Channels), &odone);
        }
        if (error != 0) ThrowSoxr(error, "resampling");
        consumed = checked((int)idone * Channels);
        written = checked((int)odone * Channels);
    }

    /// <summary>Signals end of input and writes the remaining output; returns 0 once fully drained.</summary>
    public unsafe int Flush(Span<float> output)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        ThrowIfNotWholeFrames(output.Length, nameof(output));
        if (output.Length == 0) return 0;
        nuint odone = 0;
        nint error;
        fixed (float* pout = output)
        {
            error = Soxr.soxr_process(_handle, null, 0, null, pout, (nuint)(output.Length / Channels), &odone);
        }
        if (error != 0) ThrowSoxr(error, "flushing the resampler");
        return checked((int)odone * Channels);
    }

    /// <summary>Resamples a whole mono signal in one go (tests, offline tools).</summary>
    public static float[] ResampleAll(ReadOnlySpan<float> mono, double inputRate, double outputRate)
    {
        using var r = new Resampler(inputRate, outputRate, 1);
        var result = new List<float>((int)(mono.Length * (outputRate / inputRate)) + 64);
        var buffer = new float[8192];
        while (!mono.IsEmpty)
        {
            r.Process(mono, buffer, out int consumed, out int written);
            if (consumed == 0 && written == 0) throw new NativeRuntimeException(YamnetErrorCode.NativeCallFailed, "libsoxr made no progress.");
            result.AddRange(buffer.AsSpan(0, written));
            mono = mono[consumed..];
        }
        int n;
        while ((n = r.Flush(buffer)) > 0) result.AddRange(buffer.AsSpan(0, n));
        return result.ToArray();
    }

    public void Dispose() => _handle.Dispose();

    private void ThrowIfNotWholeFrames(int length, string paramName)
    {
        if (length % Channels != 0)
            throw new ArgumentException($"Length {length} is not a multiple of the channel count {Channels}.", paramName);
    }

    private static void ThrowSoxr(nint error, string action)
        => throw new NativeRuntimeException(YamnetErrorCode.NativeCallFailed, $"libsoxr failed while {action}: {SndFileErrors.ToManaged(error) ?? "unknown error"}.");
}
