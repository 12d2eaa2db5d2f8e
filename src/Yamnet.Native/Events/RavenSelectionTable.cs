using System.Globalization;

namespace Yamnet.Events;

/// <summary>
/// A Raven Pro selection table (File → Open Selection Table): tab-separated, with Raven's standard
/// columns <c>Selection, View, Channel, Begin Time (s), End Time (s), Low Freq (Hz), High Freq (Hz)</c>
/// and then <c>Begin File, Label, Class Index, Peak Score, Mean Score</c>. Each event is one
/// selection in view <c>Spectrogram 1</c> of channel 1, spanning 0 Hz to the Nyquist frequency
/// (YAMNet's scores say nothing about frequency); selections are numbered from 1; times have six
/// decimals; Begin File is the input's file name.
/// </summary>
public static class RavenSelectionTable
{
    public const string Header = "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tBegin File\tLabel\tClass Index\tPeak Score\tMean Score";

    public static void Write(TextWriter writer, string inputPath, IEnumerable<SoundEvent> events, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Header + "\n");
        var ic = CultureInfo.InvariantCulture;
        string file = AudacityLabelTrack.Clean(Path.GetFileName(inputPath));
        double high = sampleRate / 2.0;
        int n = 0;
        foreach (var e in events)
        {
            n++;
            writer.Write(string.Create(ic,
                $"{n}\tSpectrogram 1\t1\t{e.StartSeconds:0.000000}\t{e.EndSeconds:0.000000}\t0\t{high:0.###}\t{file}\t{AudacityLabelTrack.Clean(e.Label)}\t{e.ClassIndex}\t{Score(e.Peak)}\t{Score(e.Mean)}\n"));
        }
    }

    /// <summary>A score as its shortest round-trip float32 text (0.8, 0.80078125).</summary>
    internal static string Score(float score) => score.ToString(CultureInfo.InvariantCulture);
}
