using Yamnet.Events;

namespace Yamnet.Native.Tests.Events;

public class EventFormatTests
{
    private static readonly SoundEvent[] Events =
    [
        new(0, "Cat", 76, false, 0, 3.16875, 0.8515625f, 0.68684894f, false),
        new(1, "Narration, monologue", 4, false, 12.4, 15.9, 0.91f, 0.5f, false),
        new(2, "dog", -1, true, 20.0000004, 21.25, 1f, 0.75f, false),
    ];

    [Fact]
    public void Audacity_label_track_is_start_tab_end_tab_label_with_six_decimals()
    {
        var w = new StringWriter();
        AudacityLabelTrack.Write(w, Events);
        w.ToString().Should().Be("0.000000\t3.168750\tCat\n12.400000\t15.900000\tNarration, monologue\n20.000000\t21.250000\tdog\n");
    }

    [Fact]
    public void Raven_selection_table_has_ravens_standard_columns_then_file_label_and_scores()
    {
        var w = new StringWriter();
        RavenSelectionTable.Write(w, "/data/rec/clip.wav", Events, 16000);
        w.ToString().Should().Be(
            "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\tBegin File\tLabel\tClass Index\tPeak Score\tMean Score\n" +
            "1\tSpectrogram 1\t1\t0.000000\t3.168750\t0\t8000\tclip.wav\tCat\t76\t0.8515625\t0.68684894\n" +
            "2\tSpectrogram 1\t1\t12.400000\t15.900000\t0\t8000\tclip.wav\tNarration, monologue\t4\t0.91\t0.5\n" +
            "3\tSpectrogram 1\t1\t20.000000\t21.250000\t0\t8000\tclip.wav\tdog\t-1\t1\t0.75\n");
    }
}
