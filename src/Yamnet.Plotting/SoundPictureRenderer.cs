using ScottPlot;
using SkiaSharp;

namespace Yamnet.Plotting;

/// <summary>
/// Draws a <see cref="SoundPictureData"/> with ScottPlot: the log-mel spectrogram on top, the top
/// classes' score heatmap (named rows) under it, and, when there are events, a label track; all on
/// one time axis in seconds, the title naming file and model. The three plots share fixed margins
/// so their time axes line up pixel for pixel.
/// </summary>
public static class SoundPictureRenderer
{
    public const int MinWidth = 400, MaxWidth = 4000, MinHeight = 300, MaxHeight = 4000;

    /// <summary>Pixels left of the plots (room for class names) and right of them.</summary>
    public const int LeftMargin = 190, RightMargin = 20;

    /// <summary>The plots' width in pixels for a picture <paramref name="width"/> wide: the most columns worth recording.</summary>
    public static int PlotWidth(int width) => Math.Clamp(width, MinWidth, MaxWidth) - LeftMargin - RightMargin;

    /// <summary>The pixel rows of the spectrogram, heatmap and event track (top, bottom), for tests and callers that crop.</summary>
    public static (int Top, int Bottom)[] Regions(int height, bool events)
    {
        float[] shares = events ? [0.42f, 0.38f, 0.20f] : [0.52f, 0.48f];
        var regions = new (int, int)[shares.Length];
        float top = 0;
        for (int i = 0; i < shares.Length; i++)
        {
            float bottom = top + shares[i] * height;
            regions[i] = ((int)top, (int)bottom);
            top = bottom;
        }
        return regions;
    }

    public static void Render(SoundPictureData data, int width, int height, PictureFormat format, Stream output)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (width is < MinWidth or > MaxWidth) throw new ArgumentOutOfRangeException(nameof(width), width, $"width must be {MinWidth}..{MaxWidth} pixels");
        if (height is < MinHeight or > MaxHeight) throw new ArgumentOutOfRangeException(nameof(height), height, $"height must be {MinHeight}..{MaxHeight} pixels");
        bool events = data.Events is { Count: > 0 };
        var regions = Regions(height, events);
        double seconds = Math.Max(data.LogMelSeconds, data.ScoresSeconds);
        var plots = new List<Plot> { Spectrogram(data, seconds), Heatmap(data, seconds, xLabel: !events) };
        if (events) plots.Add(EventTrack(data.Events!, seconds));
        try
        {
            if (format == PictureFormat.Png)
            {
                using var surface = SKSurface.Create(new SKImageInfo(width, height)) ?? throw new InvalidOperationException("SkiaSharp could not create a surface");
                Draw(surface.Canvas, plots, regions, width);
                using var image = surface.Snapshot();
                using var png = image.Encode(SKEncodedImageFormat.Png, 100);
                png.SaveTo(output);
            }
            else
            {
                using var wstream = new SKManagedWStream(output);
                using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), wstream))
                    Draw(canvas, plots, regions, width);
            }
        }
        finally
        {
            foreach (var p in plots) p.Dispose();
        }
    }

    private static void Draw(SKCanvas canvas, List<Plot> plots, (int Top, int Bottom)[] regions, int width)
    {
        canvas.Clear(SKColors.White);
        for (int i = 0; i < plots.Count; i++)
            plots[i].Render(canvas, new PixelRect(0, width, regions[i].Bottom, regions[i].Top));
    }

    private static Plot Spectrogram(SoundPictureData data, double seconds)
    {
        var plot = NewPlot(top: 40, bottom: 14);
        plot.Title(data.Title, 15);
        int bands = data.LogMel.GetLength(0);
        var map = plot.Add.Heatmap(data.LogMel);
        map.Colormap = new ScottPlot.Colormaps.Magma();
        map.FlipVertically = true; // band 0 (lowest frequency) at the bottom
        map.Extent = new CoordinateRect(0, data.LogMelSeconds, 0, bands);
        plot.YLabel("log-mel band", 12);
        plot.Axes.SetLimits(0, seconds, 0, bands);
        plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
        return plot;
    }

    private static Plot Heatmap(SoundPictureData data, double seconds, bool xLabel)
    {
        var plot = NewPlot(top: 8, bottom: xLabel ? 44 : 14);
        int rows = data.Scores.GetLength(0);
        var map = plot.Add.Heatmap(data.Scores);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(0, 1);
        map.Extent = new CoordinateRect(0, data.ScoresSeconds, 0, rows);
        // Row 0 (best class) is drawn at the top: heatmap rows run downward from the extent's top.
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int r = 0; r < rows; r++) ticks.AddMajor(rows - r - 0.5, Shorten(data.ClassNames[r], 26));
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimits(0, seconds, 0, rows);
        if (xLabel) plot.XLabel("time (s)", 12);
        else plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
        return plot;
    }

    private static Plot EventTrack(IReadOnlyList<PictureEvent> events, double seconds)
    {
        var plot = NewPlot(top: 4, bottom: 44);
        var labels = events.Select(e => e.Label).Distinct().ToList();
        int lanes = Math.Clamp(labels.Count, 1, 5);
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var e in events)
        {
            int lane = lanes - 1 - labels.IndexOf(e.Label) % lanes;
            var rect = plot.Add.Rectangle(e.StartSeconds, Math.Max(e.EndSeconds, e.StartSeconds + seconds / 400), lane + 0.1, lane + 0.9);
            rect.FillStyle.Color = palette.GetColor(labels.IndexOf(e.Label)).WithAlpha(0.75);
            rect.LineStyle.Width = 0;
            var text = plot.Add.Text(Shorten(e.Label, 20), e.StartSeconds, lane + 0.5);
            text.LabelFontSize = 10;
            text.LabelAlignment = Alignment.MiddleLeft;
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([lanes / 2.0], ["events"]);
        plot.Axes.SetLimits(0, seconds, 0, lanes);
        plot.XLabel("time (s)", 12);
        return plot;
    }

    private static Plot NewPlot(float top, float bottom)
    {
        var plot = new Plot();
        plot.Layout.Fixed(new PixelPadding(LeftMargin, RightMargin, bottom, top));
        plot.RenderManager.ClearCanvasBeforeEachRender = false; // three plots share one canvas
        plot.Grid.IsVisible = false;
        return plot;
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
