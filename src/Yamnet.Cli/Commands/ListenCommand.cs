using System.CommandLine;
using Yamnet.Audio;
using Yamnet.Live;

namespace Yamnet.Cli.Commands;

/// <summary>
/// <c>yamnet listen</c>: classifies a capture device (ALSA) or a pipe (standard input, raw S16LE or
/// WAV) in real time, printing each window's result as it comes with its stream time. Capture runs on
/// its own thread; when inference falls behind, whole windows are dropped and reported rather than
/// letting the results drift behind the sound. Ctrl-C / SIGTERM stop it with a summary on stderr.
/// Exit codes: 0 at end of input or on a stop, 1 for device/input failures, 2 for usage errors.
/// </summary>
public static class ListenCommand
{
    /// <summary>Largest --queue accepted (windows).</summary>
    public const int MaxQueue = 1024;

    public static Command Create()
    {
        var common = new CommonOptions();
        var device = new Option<string?>("--device") { Description = "ALSA capture device (default: 'default'): any PCM name, e.g. hw:1,0, plughw:1, or one defined in an asoundrc. 16 kHz mono S16 is asked for; other rates/channel counts the device insists on are resampled/averaged." };
        var input = new Option<string?>("--input") { Description = "Read audio from a pipe instead of a device: '-' for standard input (or the path of a file/FIFO). Raw S16LE at --rate/--channels, or WAV (16-bit PCM) when the stream starts with a RIFF header." };
        var rate = new Option<int?>("--rate") { Description = "Sample rate of raw --input in Hz (default 16000). A WAV header overrides it." };
        var channels = new Option<int?>("--channels") { Description = "Channels of raw --input (default 1), averaged to mono. A WAV header overrides it." };
        var results = new ResultOptions("Output: text (a block per window), json (one JSON object per line) or csv (classify's columns).");
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds of audio (stream time), as if the input ended there." };
        var overflow = new Option<string?>("--overflow") { Description = "When inference falls behind: drop (skip whole windows, counted and reported; default for a device) or block (wait; nothing is lost and the pipe's writer is slowed; default for --input)." };
        var queue = new Option<int>("--queue") { Description = "Windows that may wait for inference before windows are dropped (at least 1).", DefaultValueFactory = _ => 4 };
        var service = new ServiceOptions();
        var events = new ListenEventOptions();

        var command = new Command("listen", "Classify a microphone (ALSA) or a pipe in real time.");
        command.Options.Add(device);
        command.Options.Add(input);
        command.Options.Add(rate);
        command.Options.Add(channels);
        results.AddTo(command);
        command.Options.Add(duration);
        command.Options.Add(overflow);
        command.Options.Add(queue);
        events.AddTo(command);
        common.AddTo(command);
        service.AddTo(command);

        command.SetAction(parse =>
        {
            // Everything that needs no model and no device is checked first: bad values exit 2 at once.
            common.RejectUnsupported(parse);
            var result = results.Validate(parse);

            string? deviceName = parse.GetValue(device);
            string? inputPath = parse.GetValue(input);
            if (deviceName is not null && inputPath is not null) throw new UsageException("--device and --input are mutually exclusive: listen to one source.");
            if (deviceName is { Length: 0 }) throw new UsageException("--device needs an ALSA device name (e.g. default, hw:1,0).");
            if (inputPath is { Length: 0 }) throw new UsageException("--input needs '-' (standard input) or a path.");
            if (service.IsRequested(parse, inputPath))
            {
                // An unattended run (MQTT, webhook, config file, URL input...): src/Yamnet.Service publishes events.
                return service.Execute(parse, common, new ListenFlags(inputPath, deviceName, parse.GetValue(rate), parse.GetValue(channels),
                    parse.GetValue(overflow)?.ToLowerInvariant(), ServiceOptions.Given(parse, queue), parse.GetValue(duration), ServiceOptions.Given(parse, results.OverlappingFactor), parse.GetValue(results.Allow)),
                    new ServiceEventFlags(events, results, result));
            }
            int? rawRate = parse.GetValue(rate), rawChannels = parse.GetValue(channels);
            if (inputPath is null && (rawRate is not null || rawChannels is not null))
                throw new UsageException("--rate and --channels describe raw --input; a device negotiates its own format.");
            if (rawRate is < 1 or > 1_000_000) throw new UsageException("--rate must be 1..1000000 Hz.");
            if (rawChannels is < 1 or > 64) throw new UsageException("--channels must be 1..64.");
            double? seconds = parse.GetValue(duration);
            if (seconds is { } d && !(d > 0 && double.IsFinite(d))) throw new UsageException("--duration must be a positive number of seconds.");
            int queueSize = parse.GetValue(queue);
            // Each queued window holds its samples: 1024 YAMNet windows are 64 MB (100000 took 6 GiB).
            if (queueSize < 1 || queueSize > MaxQueue) throw new UsageException($"--queue must be 1..{MaxQueue} windows.");
            OverflowPolicy policy = parse.GetValue(overflow)?.ToLowerInvariant() switch
            {
                null => inputPath is null ? OverflowPolicy.Drop : OverflowPolicy.Block,
                "drop" => OverflowPolicy.Drop,
                "block" => OverflowPolicy.Block,
                var o => throw new UsageException($"Unknown overflow policy '{o}': use drop or block."),
            };
            if (inputPath is not null && inputPath != "-" && !File.Exists(inputPath))
                throw new UsageException($"--input {inputPath}: no such file or FIFO.");

            bool verbose = parse.GetValue(common.Verbose);
            using var classifier = common.LoadClassifier(parse);
            var filter = result.CreateFilter(classifier.Labels);
            int hop = result.HopFor(classifier.WindowLength, classifier.SampleRate);
            long maxSamples = seconds is { } s ? Math.Max(1, (long)Math.Round(s * classifier.SampleRate, MidpointRounding.AwayFromZero)) : long.MaxValue;

            ILiveSource source;
            try
            {
                source = ListenRun.OpenSource(deviceName, inputPath, classifier.SampleRate, rawRate ?? 16000, rawChannels ?? 1, verbose);
            }
            catch (AudioDeviceException e)
            {
                CliHost.Error(CliHost.OneLine(e.Message));
                return ExitCodes.InputFailed;
            }
            using (source)
            {
                using var stdoutForEvents = GuardedOutput.OpenStdout(_ => { });
                using var eventPrinter = events.Create(parse, result, classifier, hop, source.Name, stdoutForEvents);
                return ListenRun.Run(source, classifier, filter, result.TopCount(classifier.ClassCount), result.Threshold, hop,
                    new LivePumpOptions { QueueCapacity = queueSize, Overflow = policy, MaxSamples = maxSamples, OnDropBurst = ListenRun.ReportDrops }, result.Format, verbose, eventPrinter);
            }
        });
        return command;
    }
}
