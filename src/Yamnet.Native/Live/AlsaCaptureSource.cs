using System.Runtime.InteropServices;
using Yamnet.Interop;
using Alsa = Yamnet.Interop.Interop.Alsa;

namespace Yamnet.Live;

/// <summary>
/// Captures from an ALSA PCM device (libasound2) as signed 16-bit interleaved frames. It asks for the
/// model's rate in mono and takes the nearest the device offers (rate and channels), converting the
/// rest in <see cref="PcmCaptureSource"/>. The PCM is opened non-blocking and read after
/// <c>snd_pcm_wait</c> with a short timeout, so a stop request is noticed within that timeout even
/// when the device delivers nothing. Overruns (-EPIPE) and suspends (-ESTRPIPE) are recovered with
/// <c>snd_pcm_recover</c> and counted; any other error ends the capture with an
/// <see cref="AudioDeviceException"/>.
/// </summary>
public sealed class AlsaCaptureSource : PcmCaptureSource
{
    /// <summary>How long one <c>snd_pcm_wait</c> may block before the stop flag is checked again.</summary>
    private const int WaitMilliseconds = 100;

    private static readonly object s_handlerGate = new();
    private static int s_quietUsers;
    private static nint s_savedHandler;

    private readonly SafeAlsaPcmHandle _pcm;
    private readonly string _description;
    private long _overruns;

    private AlsaCaptureSource(string device, int sampleRate, SafeAlsaPcmHandle pcm, int rate, int channels, int periodFrames, int bufferFrames)
        : base("alsa:" + device, sampleRate)
    {
        Device = device;
        _pcm = pcm;
        DeviceRate = rate;
        DeviceChannels = channels;
        PeriodFrames = periodFrames;
        BufferFrames = bufferFrames;
        _description = $"ALSA '{device}' S16_LE {rate} Hz, {channels} channel{(channels == 1 ? "" : "s")}, period {periodFrames} frames, buffer {bufferFrames} frames";
    }

    public string Device { get; }

    /// <summary>The rate the device granted (the model's rate when it offers it).</summary>
    public int DeviceRate { get; }

    public int DeviceChannels { get; }

    public int PeriodFrames { get; }

    public int BufferFrames { get; }

    public override long Overruns => Interlocked.Read(ref _overruns);

    /// <summary>
    /// Opens <paramref name="device"/> (an ALSA PCM name: <c>default</c>, <c>hw:1,0</c>,
    /// <c>plughw:1</c>, a name from an asoundrc) for capture and negotiates S16_LE, the nearest rate to
    /// <paramref name="sampleRate"/> and the nearest channel count to 1.
    /// </summary>
    /// <param name="device">The ALSA PCM name.</param>
    /// <param name="sampleRate">The output rate (the model's), also the rate asked of the device.</param>
    /// <param name="quietLibrary">
    /// Opt-in, process-wide: true silences alsa-lib's own "ALSA lib ..." stderr lines (snd_lib_error_set_handler)
    /// while this call opens and negotiates the device, so a failure reads as one line; alsa-lib's default
    /// handler is put back before it returns. Default false: the process's ALSA error handler is not touched.
    /// </param>
    public static AlsaCaptureSource Open(string device, int sampleRate, bool quietLibrary = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (quietLibrary) Quiet(+1);
        try
        {
            int rc = Alsa.snd_pcm_open(out var pcm, device, Alsa.Streams.SND_PCM_STREAM_CAPTURE, Alsa.OpenModes.SND_PCM_NONBLOCK);
            if (rc < 0 || pcm.IsInvalid)
            {
                pcm.Dispose();
                throw OpenError(device, rc);
            }
            try
            {
                var (rate, channels, period, buffer) = Negotiate(pcm, device, sampleRate);
                return new AlsaCaptureSource(device, sampleRate, pcm, rate, channels, period, buffer);
            }
            catch
            {
                pcm.Dispose();
                throw;
            }
        }
        finally
        {
            if (quietLibrary) Quiet(-1);
        }
    }

    /// <summary>snd_strerror's text for a negative errno.</summary>
    internal static unsafe string StrError(int error)
        => Marshal.PtrToStringUTF8((nint)Alsa.snd_strerror(error)) ?? $"error {error}";

    private static unsafe (int Rate, int Channels, int Period, int Buffer) Negotiate(SafeAlsaPcmHandle pcm, string device, int sampleRate)
    {
        nint hw = 0;
        Check(Alsa.snd_pcm_hw_params_malloc(&hw), device, "allocating hw params");
        try
        {
            Check(Alsa.snd_pcm_hw_params_any(pcm, hw), device, "reading its capabilities");
            Check(Alsa.snd_pcm_hw_params_set_access(pcm, hw, Alsa.Access.SND_PCM_ACCESS_RW_INTERLEAVED), device, "setting interleaved read access");
            int rc = Alsa.snd_pcm_hw_params_set_format(pcm, hw, Alsa.Formats.SND_PCM_FORMAT_S16_LE);
            if (rc < 0)
            {
                throw new AudioDeviceException(
                    $"ALSA device '{device}' cannot capture signed 16-bit samples (S16_LE): {StrError(rc)}; try its plughw: name or 'default', which convert", device, rc);
            }
            // Mono if the device has it (set_channels restores the space when it refuses); else the nearest count, averaged later.
            uint channels = 1;
            if (Alsa.snd_pcm_hw_params_set_channels(pcm, hw, channels) < 0)
                Check(Alsa.snd_pcm_hw_params_set_channels_near(pcm, hw, &channels), device, "setting the channel count");
            uint rate = (uint)sampleRate;
            int dir = 0;
            Check(Alsa.snd_pcm_hw_params_set_rate_near(pcm, hw, &rate, &dir), device, $"setting the rate near {sampleRate} Hz");
            // ~50 ms periods keep latency low; ~0.5 s of buffer rides out a GC pause or a slow write.
            nuint period = Math.Max(1u, rate / 20);
            dir = 0;
            Check(Alsa.snd_pcm_hw_params_set_period_size_near(pcm, hw, &period, &dir), device, "setting the period size");
            nuint buffer = Math.Max(period * 4, rate / 2);
            Check(Alsa.snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &buffer), device, "setting the buffer size");
            Check(Alsa.snd_pcm_hw_params(pcm, hw), device, "installing the hw params");
            return ((int)rate, (int)channels, (int)period, (int)buffer);
        }
        finally
        {
            Alsa.snd_pcm_hw_params_free(hw);
        }
    }

    protected override (int Rate, int Channels, string Description) ReadFormat(CancellationToken cancellationToken)
        => (DeviceRate, DeviceChannels, _description);

    protected override unsafe int ReadFrames(Span<short> interleaved, CancellationToken cancellationToken)
    {
        nuint frames = (nuint)(interleaved.Length / DeviceChannels);
        fixed (short* p = interleaved)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                nint n = Alsa.snd_pcm_readi(_pcm, p, frames);
                if (n > 0) return (int)n;
                // A plugin that runs out of data (the file plugin's infile, for one) returns 0: the input ended.
                if (n == 0) return 0;
                int error = (int)n;
                if (error == -Alsa.Errors.EAGAIN)
                {
                    int w = Alsa.snd_pcm_wait(_pcm, WaitMilliseconds);
                    if (w < 0) Recover(w);
                    continue;
                }
                Recover(error);
            }
        }
        return 0;
    }

    /// <summary>Recovers an xrun or a suspend (counting xruns); throws for anything else.</summary>
    private void Recover(int error)
    {
        if (error == -Alsa.Errors.EPIPE) Interlocked.Increment(ref _overruns);
        if (error is -Alsa.Errors.EPIPE or -Alsa.Errors.ESTRPIPE or -Alsa.Errors.EINTR)
        {
            int rc = Alsa.snd_pcm_recover(_pcm, error, 1);
            if (rc >= 0) return;
            error = rc;
        }
        string what = error is -Alsa.Errors.ENODEV or -Alsa.Errors.ENXIO or -Alsa.Errors.EIO
            ? "was disconnected or stopped working"
            : "failed while capturing";
        throw new AudioDeviceException($"ALSA device '{Device}' {what}: {StrError(error)}", Device, error);
    }

    private static void Check(int rc, string device, string action)
    {
        if (rc < 0) throw new AudioDeviceException($"ALSA device '{device}' failed {action}: {StrError(rc)}", device, rc);
    }

    private static AudioDeviceException OpenError(string device, int rc)
    {
        string message = rc switch
        {
            -Alsa.Errors.ENOENT or -Alsa.Errors.ENODEV or -Alsa.Errors.ENXIO =>
                $"no such ALSA capture device '{device}' ({StrError(rc)}); list devices with 'arecord -L'",
            -Alsa.Errors.EBUSY => $"ALSA device '{device}' is busy: another program is capturing from it",
            -Alsa.Errors.EACCES or -Alsa.Errors.EPERM => $"no permission to open ALSA device '{device}' ({StrError(rc)}); is the user in the 'audio' group?",
            -Alsa.Errors.EINVAL => $"ALSA device '{device}' cannot capture ({StrError(rc)})",
            _ => $"cannot open ALSA device '{device}' for capture: {StrError(rc)}",
        };
        return new AudioDeviceException(message, device, rc);
    }

    /// <summary>Counts quiet opens in flight: the first installs the silent handler, the last restores alsa-lib's default (NULL).</summary>
    private static unsafe void Quiet(int delta)
    {
        lock (s_handlerGate)
        {
            int before = s_quietUsers;
            s_quietUsers += delta;
            if (before == 0 && s_quietUsers == 1)
            {
                // alsa-lib exports the handler in force as the variable snd_lib_error: keep it to put it back.
                s_savedHandler = CurrentHandler();
                Alsa.snd_lib_error_set_handler(&IgnoreLibraryMessage);
            }
            else if (before == 1 && s_quietUsers == 0)
            {
                Alsa.snd_lib_error_set_handler((delegate* unmanaged[Cdecl]<byte*, int, byte*, int, byte*, void>)s_savedHandler);
            }
        }
    }

    /// <summary>The error handler alsa-lib calls now (its exported <c>snd_lib_error</c> variable), 0 if unknown.</summary>
    internal static unsafe nint CurrentHandler()
    {
        nint lib = NativeLibraryResolver.HandleOf(NativeRuntime.NativeLibraryKind.Alsa);
        return lib != 0 && NativeLibrary.TryGetExport(lib, "snd_lib_error", out nint variable) ? *(nint*)variable : 0;
    }

    /// <summary>True while a quiet open has alsa-lib's error handler replaced (tests).</summary>
    internal static bool LibraryHandlerReplaced
    {
        get
        {
            lock (s_handlerGate) return s_quietUsers > 0;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static unsafe void IgnoreLibraryMessage(byte* file, int line, byte* function, int error, byte* format)
    {
        // alsa-lib's messages repeat what the returned errno says, in its own format; the caller reports that one line instead.
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _pcm.Dispose();
        base.Dispose(disposing);
    }
}
