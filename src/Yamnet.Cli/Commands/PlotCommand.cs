using System.CommandLine;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Embeddings;
using Yamnet.Events;
using Yamnet.Plotting;

namespace Yamnet.Cli.Commands;

/// <summary>
/// <c>yamnet plot FILE -o out.png|out.svg</c>: the model's own log-mel spectrogram over time, the top
/// classes' scores as a heatmap under it and the detected events (default thresholds) as a label
/// track, drawn with ScottPlot. Long files are aggregated to at most one column per pixel.
/// </summary>
public static class PlotCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var input = new Argument<string>("file") { Description = "The audio file to draw." };
        var output = new Option<string?>("-o", "--output") { Description = "The picture to write: .png or .svg (required; written atomically, never over the input)." };
        var format = new Option<string?>("--format") { Description = "png or svg (default: from -o's extension, else png)." };
        var top = new Option<int>("--top") { Description = "Classes in the heatmap: those with the highest mean score (default 10).", DefaultValueFactory = _ => 10 };
        var width = new Option<int>("--width") { Description = $"Picture width in pixels, {SoundPictureRenderer.MinWidth}..{SoundPictureRenderer.MaxWidth} (default 1400); longer files are aggregated to fit.", DefaultValueFactory = _ => 1400 };
        var height = new Option<int>("--height") { Description = $"Picture height in pixels, {SoundPictureRenderer.MinHeight}..{SoundPictureRenderer.MaxHeight} (default 800).", DefaultValueFactory = _ => 800 };
        var noEvents = new Option<bool>("--no-events") { Description = "Leave out the event track." };
        var jobs = new Option<int>("--jobs") { Description = "Interpreters over the file's windows (default: processor count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("plot", "Draw a file's log-mel spectrogram, top class scores and events as a PNG or SVG picture.");
        command.Arguments.Add(input);
        foreach (var o in new Option[] { output, format, top, width, height, noEvents, jobs }) command.Options.Add(o);
        common.AddTo(command);

        command.SetAction(parse =>
        {
            common.RejectUnsupported(parse);
            string file = parse.GetValue(input)!;
            string outPath = parse.GetValue(output) ?? throw new UsageException("No output: give -o FILE.png (or .svg).");
            string fmt = (parse.GetValue(format) ?? (Path.GetExtension(outPath).Equals(".svg", StringComparison.OrdinalIgnoreCase) ? "svg" : "png")).ToLowerInvariant();
            var pictureFormat = fmt switch { "png" => PictureFormat.Png, "svg" => PictureFormat.Svg, _ => throw new UsageException($"Unknown format '{fmt}': use png or svg.") };
            int w = parse.GetValue(width), h = parse.GetValue(height), n = parse.GetValue(top), jobCount = parse.GetValue(jobs);
            if (w is < SoundPictureRenderer.MinWidth or > SoundPictureRenderer.MaxWidth) throw new UsageException($"--width must be {SoundPictureRenderer.MinWidth}..{SoundPictureRenderer.MaxWidth} pixels.");
            if (h is < SoundPictureRenderer.MinHeight or > SoundPictureRenderer.MaxHeight) throw new UsageException($"--height must be {SoundPictureRenderer.MinHeight}..{SoundPictureRenderer.MaxHeight} pixels.");
            if (n is < 1 or > 50) throw new UsageException("--top must be 1..50 classes.");
            if (jobCount < 1) throw new UsageException("Number of jobs must be at least 1.");
            string full = Path.GetFullPath(outPath);
            if (full == Path.GetFullPath(file)) throw new UsageException($"-o {outPath}: is the input; refusing to overwrite it.");
            if (Directory.Exists(outPath)) throw new UsageException($"-o {outPath}: is a directory.");
            if (!File.Exists(file)) { CliHost.Error($"{file}: {(Directory.Exists(file) ? "is a directory" : "file not found")}"); return ExitCodes.InputFailed; }

            using var classifier = common.LoadClassifier(parse, extraOutputs: ExtraOutputs.LogMelSpectrogram);
            var layout = classifier.Extras!;
            int hop = FileAnalyzer.HopFor(classifier.WindowLength, 0.5);
            double windowSeconds = classifier.WindowLength / (double)classifier.SampleRate;
            var recorder = new SoundPictureRecorder(layout.LogMelBands, layout.LogMelFrames, windowSeconds, hop / (double)classifier.SampleRate,
                classifier.ClassCount, SoundPictureRenderer.PlotWidth(w));
            var events = new SoundEventList();
            var detector = parse.GetValue(noEvents) ? null
                : new EventDetector(new EventDetectorOptions(), classifier.Labels, new EventTimeline(classifier.WindowLength, hop, classifier.SampleRate), events);
            FileAnalysisStats stats;
            try
            {
                using var reader = AudioReader.Open(file, classifier.SampleRate, classifier.Options.LoggerFactory);
                stats = new WindowPipeline(classifier, jobCount).Analyze(reader, hop, (in AudioWindow win, in WindowOutputs o) =>
                {
                    recorder.Add(win.StartSeconds, win.EndSeconds, o.LogMelSpectrogram, o.Scores);
                    detector?.Push(win, o.Scores);
                });
                detector?.Flush(stats.SamplesRead / (double)classifier.SampleRate);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or YamnetException)
            {
                CliHost.Error($"{file}: {CliHost.OneLine(e.Message)}");
                return ExitCodes.InputFailed;
            }
            if (stats.Windows == 0) { CliHost.Error($"{file}: contains no audio samples"); return ExitCodes.InputFailed; }

            string model = Yamnet.TfLite.KnownModels.NameOf(classifier.Model.Sha256) ?? Path.GetFileName(classifier.Model.Source);
            var data = recorder.Build($"{Path.GetFileName(file)} — {model}", n, classifier.Labels.NameOf,
                detector is null ? null : events.Sorted().Select(e => new PictureEvent(e.StartSeconds, e.EndSeconds, e.Label)).ToList());
            string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                    SoundPictureRenderer.Render(data, w, h, pictureFormat, stream);
                File.Move(temp, full, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }
            Console.Error.WriteLine($"yamnet: {outPath}: {w}x{h} {fmt}, {stats.Windows} windows, {data.LogMel.GetLength(1)} spectrogram columns, {data.Events?.Count ?? 0} events");
            return ExitCodes.Ok;
        });
        return command;
    }
}
