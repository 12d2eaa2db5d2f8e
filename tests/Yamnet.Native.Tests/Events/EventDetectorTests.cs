using Yamnet.Audio;
using Yamnet.Events;

namespace Yamnet.Native.Tests.Events;

public class EventDetectorTests
{
    private static readonly string[] One = ["a"];

    private static EventDetectorOptions Rule(float on = 0.5f, float off = 0.3f, double min = 0, double gap = 0, int median = 1)
        => new() { DefaultRule = new EventRule(on, off, min, gap, median) };

    [Fact]
    public void Hysteresis_opens_at_on_and_stays_open_down_to_off()
    {
        // windows stand for [k, k+1) (W = hop = 1 s)
        var s = new EventScript(One, Rule(0.5f, 0.3f)).Push(0, 0.6f, 0.4f, 0.35f, 0.2f, 0.45f, 0.6f, 0.1f).Flush();
        s.Spans.Should().Equal((1, 4), (6, 7));
        var noHysteresis = new EventScript(One, Rule(0.5f, 0.5f)).Push(0, 0.6f, 0.4f, 0.35f, 0.2f, 0.45f, 0.6f, 0.1f).Flush();
        noHysteresis.Spans.Should().Equal((1, 2), (6, 7));
    }

    [Fact]
    public void A_score_between_off_and_on_does_not_open_an_event()
    {
        new EventScript(One, Rule(0.5f, 0.3f)).Push(0.4f, 0.49f, 0.31f).Flush().Closed.Should().BeEmpty();
    }

    [Fact]
    public void Peak_and_mean_are_over_the_events_windows()
    {
        var e = new EventScript(One, Rule()).Push(0, 0.6f, 0.9f, 0.4f, 0).Flush().Closed.Should().ContainSingle().Subject;
        e.Peak.Should().Be(0.9f);
        e.Mean.Should().BeApproximately((0.6f + 0.9f + 0.4f) / 3, 1e-6f);
        e.Label.Should().Be("a");
        e.ClassIndex.Should().Be(0);
        e.IsGroup.Should().BeFalse();
        e.IsOpen.Should().BeFalse();
        e.DurationSeconds.Should().Be(3);
    }

    [Fact]
    public void Minimum_duration_drops_short_events_and_delays_the_opening_report()
    {
        var s = new EventScript(One, Rule(min: 2)).Push(0, 0.9f, 0, 0.9f, 0.9f, 0.9f, 0).Flush();
        s.Spans.Should().Equal((3, 6));
        s.Opened.Should().ContainSingle().Which.EndSeconds.Should().Be(5, "reported opened once it lasted 2 s");
        s.Log.Select(l => (l.Kind, l.AfterWindow)).Should().Equal(("open", 5), ("close", 7));
    }

    [Fact]
    public void Minimum_duration_exactly_met_is_kept()
    {
        new EventScript(One, Rule(min: 2)).Push(0, 0.9f, 0.9f, 0).Flush().Spans.Should().Equal((1, 3));
    }

    [Fact]
    public void Gaps_up_to_the_merge_gap_join_events_and_longer_ones_do_not()
    {
        float[] scores = [0.9f, 0, 0.9f, 0, 0, 0.9f, 0];
        new EventScript(One, Rule(gap: 0)).Push(scores).Flush().Spans.Should().Equal((0, 1), (2, 3), (5, 6));
        var merged = new EventScript(One, Rule(gap: 1)).Push(scores).Flush();
        merged.Spans.Should().Equal((0, 3), (5, 6));
        merged.Closed[0].Mean.Should().BeApproximately(0.6f, 1e-6f, "the merged gap's window counts in the mean");
        new EventScript(One, Rule(gap: 2)).Push(scores).Flush().Spans.Should().Equal((0, 6));
        new EventScript(One, Rule(gap: 1.999)).Push(scores).Flush().Spans.Should().Equal((0, 3), (5, 6));
    }

    [Fact]
    public void Merging_happens_before_the_minimum_duration_test()
    {
        // two 1 s blips 1 s apart: each too short alone, 3 s once merged
        new EventScript(One, Rule(min: 2.5, gap: 1)).Push(0.9f, 0, 0.9f, 0).Flush().Spans.Should().Equal((0, 3));
    }

    [Fact]
    public void A_closing_is_reported_once_the_merge_gap_has_passed()
    {
        var s = new EventScript(One, Rule(gap: 2)).Push(0.9f, 0, 0, 0, 0);
        s.Log.Select(l => (l.Kind, l.AfterWindow)).Should().Equal(("open", 1), ("close", 4));
        s.Closed.Single().EndSeconds.Should().Be(1);
    }

    [Fact]
    public void Median_filter_removes_a_one_window_spike_and_fills_a_one_window_dip()
    {
        new EventScript(One, Rule(median: 3)).Push(0, 0, 0.9f, 0, 0).Flush().Closed.Should().BeEmpty();
        var dip = new EventScript(One, Rule(off: 0.5f, median: 3)).Push(0, 0.9f, 0.9f, 0, 0.9f, 0.9f, 0).Flush();
        dip.Spans.Should().Equal((1, 6));
        dip.Closed[0].Peak.Should().Be(0.9f, "peak and mean are of the model's scores, not the filtered ones");
        dip.Closed[0].Mean.Should().BeApproximately(0.9f * 4 / 5, 1e-6f);
    }

    [Fact]
    public void Median_filter_delays_decisions_by_half_its_length_and_uses_the_windows_that_exist_at_the_ends()
    {
        var s = new EventScript(One, Rule(off: 0.5f, median: 5));
        s.Detector.DelayWindows.Should().Be(2);
        s.Push(0.9f, 0.9f, 0.9f);
        s.Detector.PendingWindows.Should().Be(2);
        s.Log.Select(l => (l.Kind, l.AfterWindow)).Should().Equal([("open", 3)], "window 0 is decided when window 2 arrives");
        // end of stream: windows 1 and 2 are decided over the windows that exist
        s.Push(0, 0).Flush();
        s.Spans.Should().Equal((0, 3));
    }

    [Fact]
    public void Median_of_an_even_count_at_the_ends_is_the_mean_of_the_middle_two()
    {
        // k = 3 at window 0 sees windows 0 and 1: median (0.6 + 0.2)/2 = 0.4, under on 0.5 but above off 0.3
        new EventScript(One, Rule(median: 3)).Push(0.6f, 0.2f).Flush().Closed.Should().BeEmpty();
        new EventScript(One, Rule(on: 0.4f, median: 3)).Push(0.6f, 0.2f).Flush().Spans.Should().Equal((0, 2));
    }

    [Fact]
    public void Groups_score_the_max_of_their_members_and_report_their_name()
    {
        string[] labels = ["Dog", "Bark", "Cat"];
        var options = new EventDetectorOptions { Groups = [LabelGroup.Parse("dog = Dog; Bark")], Allow = ["dog"] };
        var s = new EventScript(labels, options).Push([[0.6f, 0, 0.9f], [0, 0.7f, 0.9f], [0.1f, 0.1f, 0.9f]]).Flush();
        var e = s.Closed.Should().ContainSingle().Subject;
        (e.Label, e.ClassIndex, e.IsGroup, e.StartSeconds, e.EndSeconds, e.Peak).Should().Be(("dog", -1, true, 0.0, 2.0, 0.7f));
        s.Detector.TrackedLabels.Should().Equal("dog");
    }

    [Fact]
    public void Groups_do_not_hide_their_members_unless_filtered_and_take_their_own_rule()
    {
        string[] labels = ["Dog", "Bark"];
        var options = new EventDetectorOptions { Groups = [LabelGroup.Parse("dog=Dog;Bark")], Rules = [new EventRuleOverride("dog", On: 0.2f)] };
        var s = new EventScript(labels, options).Push([[0.3f, 0.6f]]).Flush();
        s.Closed.Select(e => e.Label).Should().BeEquivalentTo("Bark", "dog");
        new EventScript(labels, options with { Deny = ["dog"] }).Push([[0.3f, 0.6f]]).Flush().Closed.Select(e => e.Label).Should().Equal("Bark");
    }

    [Fact]
    public void Events_touching_the_start_and_the_end_extend_to_them()
    {
        // W = 2, hop = 1: window k stands for [k + 0.5, k + 1.5), window 0 for [0, 1.5); 5 samples give windows 0..3
        var s = new EventScript(One, Rule(), window: 2, hop: 1).Push([[0.9f], [0.9f], [0.9f], [0.9f]], totalSamples: 5).Flush(5);
        s.Spans.Should().Equal((0, 5));
        var middle = new EventScript(One, Rule(), window: 2, hop: 1).Push(0, 0.9f, 0);
        middle.Flush().Spans.Should().Equal((1.5, 2.5));
    }

    [Fact]
    public void Without_an_end_time_the_last_window_extends_to_where_its_audio_ends()
    {
        var s = new EventScript(One, Rule(), window: 4, hop: 2).Push([[0.9f], [0.9f]], totalSamples: 5).Flush();
        s.Spans.Should().Equal((0, 5));
    }

    [Fact]
    public void A_file_shorter_than_one_window_gives_one_window_spanning_the_file()
    {
        var s = new EventScript(One, Rule(), window: 16, hop: 8, rate: 16).Push([[0.9f]], totalSamples: 4).Flush(0.25);
        s.Spans.Should().Equal((0, 0.25));
    }

    [Fact]
    public void An_empty_stream_gives_no_event()
    {
        var s = new EventScript(One, Rule()).Flush(0).Flush();
        s.Closed.Should().BeEmpty();
        s.Opened.Should().BeEmpty();
    }

    [Fact]
    public void Hop_equal_to_the_window_tiles_time_with_whole_windows()
    {
        var s = new EventScript(One, Rule(), window: 3, hop: 3, rate: 3).Push(0, 0.9f, 0.9f, 0).Flush();
        s.Spans.Should().Equal((1, 3));
    }

    [Fact]
    public void Every_event_is_opened_then_closed_once_with_the_same_id()
    {
        var s = new EventScript(["a", "b"], Rule(gap: 1)).Push([[0.9f, 0], [0.9f, 0.9f], [0, 0.9f], [0, 0], [0.9f, 0], [0, 0]]).Flush();
        s.Opened.Select(e => e.Id).Should().Equal(0, 1, 2);
        s.Closed.Select(e => e.Id).Order().Should().Equal(0, 1, 2);
        s.Opened.Should().OnlyContain(e => e.IsOpen);
        foreach (var closed in s.Closed)
        {
            int opened = s.Log.FindIndex(l => l.Kind == "open" && l.Event.Id == closed.Id);
            int closedAt = s.Log.FindIndex(l => l.Kind == "close" && l.Event.Id == closed.Id);
            opened.Should().BeLessThan(closedAt);
        }
        s.Detector.OpenEvents.Should().Be(0);
    }

    [Fact]
    public void A_flush_in_the_middle_closes_open_events_and_the_stream_carries_on()
    {
        var s = new EventScript(One, Rule(off: 0.5f, median: 3), window: 2, hop: 1).Push(0.9f, 0.9f, 0.9f);
        s.Detector.OpenEvents.Should().Be(1);
        s.Flush();
        s.Closed.Should().ContainSingle().Which.EndSeconds.Should().Be(4, "window 2 holds audio up to 4 s");
        s.Detector.OpenEvents.Should().Be(0);
        s.Push(0.9f, 0.9f, 0).Flush();
        s.Spans.Should().Equal((0, 4), (4, 5.5));
    }

    [Fact]
    public void Per_class_rules_override_the_default()
    {
        var options = new EventDetectorOptions
        {
            DefaultRule = new EventRule(0.5f, 0.3f, 0, 0, 1),
            Rules = [EventRuleOverride.ParseThreshold("b=0.8:0.7"), new EventRuleOverride("c", On: 0.2f)],
        };
        var s = new EventScript(["a", "b", "c"], options).Push([[0.6f, 0.6f, 0.25f], [0.35f, 0.9f, 0.21f], [0, 0.75f, 0], [0, 0.65f, 0]]).Flush();
        s.Closed.Select(e => (e.Label, e.StartSeconds, e.EndSeconds)).Should().BeEquivalentTo([("a", 0.0, 2.0), ("b", 1.0, 3.0), ("c", 0.0, 2.0)]);
        options.Rules[1].ApplyTo(options.DefaultRule).Off.Should().Be(0.2f, "off defaults to min(on, default off)");
    }

    [Fact]
    public void Nan_scores_count_as_zero()
    {
        var s = new EventScript(One, Rule()).Push(0.9f, float.NaN, 0.9f).Flush();
        s.Spans.Should().Equal((0, 1), (2, 3));
        s.Closed.Should().OnlyContain(e => float.IsFinite(e.Mean));
    }

    [Fact]
    public void Pushing_the_wrong_number_of_scores_is_refused()
    {
        var s = new EventScript(["a", "b"]);
        var act = () => s.Detector.Push(new AudioWindow(0, 0, 0, 1), new float[3]);
        act.Should().Throw<ArgumentException>().WithMessage("*expected 2 scores, got 3*");
    }
}
