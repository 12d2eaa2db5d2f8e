using System.Globalization;
using System.Runtime.InteropServices;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Cli.Output;
using Yamnet.Live;

namespace Yamnet.Cli.Commands;

/// <summary>
/// The running side of <c>yamnet listen</c> without a service: opens the source, classifies window by
/// window as the pump delivers them, prints each result (or feeds the event printer), and ends with the
/// one summary line on stderr. A signal or a reader gone from stdout is a normal end here.
/// </summary>
public static class ListenRun
{
    private const string StdinName = "stdin";

    public static ILiveSource OpenSource(string? deviceName, string? inputPath, int sampleRate, int rawRate, int rawChannels, bool verbose)
    {
        PcmCaptureSource source;
        if (inputPath is null)
        {
            source = AlsaCaptureSource.Open(deviceName ?? "default", sampleRate, quietLibrary: !verbose);
        }
        else
        {
            // Standard input is left open: closing fd 0 under a capture thread still reading it is not ours to do.
            var stream = inputPath == "-" ? Console.OpenStandardInput() : new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            source = new PcmStreamSource(stream, inputPath == "-" ? StdinName : inputPath, sampleRate, rawRate, rawChannels, leaveOpen: inputPath == "-");
        }
        if (verbose) source.FormatKnown = line => StdErr.WriteLine("yamnet: " + line);
        return source;
    }

    public static int Run(ILiveSource source, AudioClassifier classifier, ClassFilter? filter, int maxResults, float threshold, int hop,
        LivePumpOptions options, string fmt, bool verbose, ListenEvents? events = null)
    {
        var run = new RunInfo(classifier.Model.Source, classifier.Model.Sha256, Yamnet.TfLite.KnownModels.NameOf(classifier.Model.Sha256),
            classifier.Labels, classifier.SampleRate, classifier.SampleRateSource, classifier.WindowLength, classifier.ClassCount,
            CommonOptions.DelegateName(classifier.Options.Interpreter.Delegate), hop, "all", MultipleFiles: false);
        using var stop = new CancellationTokenSource();
        // Its reader gone (EPIPE), a listen on endless input stops like on a signal, quietly, exit 141.
        using var stdout = GuardedOutput.OpenStdout(_ => Cancel(stop));
        using var text = new StreamWriter(stdout, new System.Text.UTF8Encoding(false), 1 << 14, leaveOpen: true) { NewLine = "\n" };
        IListenWriter writer = fmt switch
        {
            "json" or "jsonl" => new JsonLinesListenWriter(stdout, classifier.Labels),
            "csv" => new FormatterListenWriter(new CsvFormatter(text), run, source.Name),
            _ => new FormatterListenWriter(new TextFormatter(text), run, source.Name),
        };

        string? stopSignal = null;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // no abrupt exit: the run winds down and prints its summary
            stopSignal ??= context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "interrupt";
            Cancel(stop);
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        if (verbose)
        {
            StdErr.WriteLine($"yamnet: listening to {source.Name}: window {classifier.WindowLength} samples, hop {hop} ({hop / (double)classifier.SampleRate:0.###} s), " +
                $"queue {options.QueueCapacity} windows, on overflow {options.Overflow.ToString().ToLowerInvariant()}");
        }

        using var session = classifier.CreateSession();
        var top = new ScoredClass[maxResults];
        writer.Begin();
        LiveStats stats;
        try
        {
            // The pump, not LiveClassifier.Run: a signal is a normal end here (windows already
            // captured are still reported, then the summary), not a cancellation.
            stats = new LiveWindowPump(classifier.WindowLength, hop, options).Run(source, (in AudioWindow window, ReadOnlySpan<float> samples) =>
            {
                samples.CopyTo(session.Input);
                session.Run();
                if (events is not null)
                {
                    events.Push(window, session.Scores);
                    return;
                }
                int n = TopK.Select(session.Scores, top, threshold, filter);
                writer.Write(window, top.AsSpan(0, n));
            }, stop.Token);
        }
        catch (Exception e) when (e is AudioException or AudioDeviceException or IOException or UnauthorizedAccessException)
        {
            // Device lost, malformed stream header, stdout closed: one line, exit 1.
            CliHost.Error(CliHost.OneLine(e.Message));
            return ExitCodes.InputFailed;
        }
        text.Flush();
        if (stdout.Failed && stopSignal is null) return Interruption.BrokenPipeExit;
        events?.Flush(stats.AudioSeconds, stopSignal is not null ? "signal" : "end of input");

        string how = stopSignal is not null ? $"stopped by {stopSignal}" : stats.EndOfInput ? "end of input" : "stopped";
        var ic = CultureInfo.InvariantCulture;
        string summary = string.Create(ic,
            $"yamnet: listen {source.Name}: {how}; {stats.WindowsConsumed} window{(stats.WindowsConsumed == 1 ? "" : "s")} classified, {stats.WindowsDropped} dropped");
        if (stats.DropBursts > 0) summary += string.Create(ic, $" (in {stats.DropBursts} burst{(stats.DropBursts == 1 ? "" : "s")})");
        summary += string.Create(ic, $", {stats.AudioSeconds:0.000} s of audio in {stats.Wall.TotalSeconds:0.000} s wall");
        if (stats.Overruns > 0) summary += string.Create(ic, $", {stats.Overruns} device overrun{(stats.Overruns == 1 ? "" : "s")} recovered (audio lost before capture)");
        StdErr.WriteLine(summary);
        return ExitCodes.Ok;
    }

    private static void Cancel(CancellationTokenSource stop)
    {
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>One stderr line per burst of dropped windows (inference fell behind a device).</summary>
    public static void ReportDrops(DropBurst burst)
    {
        string which = burst.Count == 1 ? $"window {burst.FirstWindow}" : $"windows {burst.FirstWindow}-{burst.FirstWindow + burst.Count - 1}";
        StdErr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"yamnet: dropped {which} ({burst.StartSeconds:0.000}s-{burst.EndSeconds:0.000}s): inference fell behind the input"));
    }
}
