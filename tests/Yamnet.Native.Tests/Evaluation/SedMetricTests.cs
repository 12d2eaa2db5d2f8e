using Yamnet.Evaluation;

namespace Yamnet.Native.Tests.Evaluation;

/// <summary>Each metric against small examples computed by hand (the arithmetic is in the comments).</summary>
public class SedMetricTests
{
    private static DcaseEventList.Contents List(params (string File, double On, double Off, string Label)[] events)
        => new(events.Select(e => new AnnotatedEvent(e.File, e.On, e.Off, e.Label)).ToList(), events.Select(e => e.File).Distinct().ToList());

    [Fact]
    public void Event_based_counts_true_positives_substitutions_deletions_and_insertions()
    {
        var reference = List(("a", 1.0, 3.0, "dog"), ("a", 5.0, 6.0, "cat"), ("a", 8.0, 9.0, "dog"));
        var estimated = List(
            ("a", 1.2, 3.9, "dog"),   // onset off by 0.2 (= collar), offset by 0.9 <= 50 % of 2 s: true positive
            ("a", 5.1, 6.1, "dog"),   // times match the cat: a substitution
            ("a", 8.5, 9.0, "cat"),   // onset 0.5 from the dog at 8: no match at all
            ("a", 12, 13, "bird"));   // insertion
        var r = SedEvaluation.Evaluate(reference, estimated).EventBased;
        // Nref 3, Nsys 4, Ntp 1, S 1, D = 3-1-1 = 1, I = 4-1-1 = 2
        r.Overall.Precision.Should().Be(0.25);
        r.Overall.Recall.Should().BeApproximately(1.0 / 3, 1e-12);
        r.Overall.F1.Should().BeApproximately(2.0 / 7, 1e-12);
        r.Overall.SubstitutionRate.Should().BeApproximately(1.0 / 3, 1e-12);
        r.Overall.DeletionRate.Should().BeApproximately(1.0 / 3, 1e-12);
        r.Overall.InsertionRate.Should().BeApproximately(2.0 / 3, 1e-12);
        r.Overall.ErrorRate.Should().BeApproximately(4.0 / 3, 1e-12);
        // dog: 2 ref, 2 sys, 1 tp -> P = R = F = 0.5, ER = (1 fn + 1 fp)/2 = 1
        r.ClassWise["dog"].Should().Match<SedMetrics>(m => m.Precision == 0.5 && m.Recall == 0.5 && m.F1 == 0.5 && Math.Abs(m.ErrorRate - 1) < 1e-12);
        // cat: 1 ref, 1 sys, 0 tp -> F = 0, ER = 2
        r.ClassWise["cat"].Should().Match<SedMetrics>(m => m.F1 == 0 && Math.Abs(m.ErrorRate - 2) < 1e-12);
        // bird: no reference -> recall and F undefined (sed_eval: NaN), left out of the macro average
        double.IsNaN(r.ClassWise["bird"].Recall).Should().BeTrue();
        double.IsNaN(r.ClassWise["bird"].F1).Should().BeTrue();
        r.Macro.F1.Should().BeApproximately(0.25, 1e-12);         // mean(0.5, 0)
        r.Macro.Precision.Should().BeApproximately(1.0 / 6, 1e-12); // mean(0.5, 0, 0)
        r.Macro.Recall.Should().BeApproximately(0.25, 1e-12);
    }

    [Theory]
    [InlineData(1.2, 2.0, true)]     // onset exactly at the 200 ms collar
    [InlineData(0.8, 2.0, true)]
    [InlineData(1.21, 2.0, false)]   // just outside
    [InlineData(0.79, 2.0, false)]
    [InlineData(1.0, 2.5, true)]     // offset within 50 % of the 1 s length
    [InlineData(1.0, 2.51, false)]
    public void Event_based_onset_and_offset_collars_at_their_boundaries(double onset, double offset, bool matches)
    {
        var r = SedEvaluation.Evaluate(List(("a", 1.0, 2.0, "dog")), List(("a", onset, offset, "dog"))).EventBased;
        r.Overall.F1.Should().Be(matches ? 1 : 0);
    }

    [Theory]
    [InlineData(0.4, true)]    // a 0.2 s event: offset collar is max(0.2, 0.1) = 0.2
    [InlineData(0.41, false)]
    public void The_offset_collar_is_never_below_200_ms(double offset, bool matches)
    {
        var r = SedEvaluation.Evaluate(List(("a", 0.0, 0.2, "dog")), List(("a", 0.0, offset, "dog"))).EventBased;
        r.Overall.Recall.Should().Be(matches ? 1 : 0);
    }

    [Fact]
    public void Long_events_get_half_their_length_as_offset_collar()
    {
        var r = SedEvaluation.Evaluate(List(("a", 0.0, 10.0, "dog"), ("a", 20.0, 30.0, "dog")), List(("a", 0.1, 15.0, "dog"), ("a", 20.0, 35.01, "dog"))).EventBased;
        r.Overall.Ntp.Should().Be(1);
    }

    [Fact]
    public void Segment_based_on_a_one_second_grid()
    {
        // ref dog [0.5, 2.2] -> segments 0,1,2; cat [3, 4] -> 3. est dog [1, 2] -> 1; cat [2.5, 3.5] -> 2,3.
        // seg0: ref{dog} sys{} D1; seg1: tp; seg2: ref{dog} sys{cat} S1; seg3: tp.
        var r = SedEvaluation.Evaluate(List(("a", 0.5, 2.2, "dog"), ("a", 3, 4, "cat")), List(("a", 1, 2, "dog"), ("a", 2.5, 3.5, "cat"))).SegmentBased;
        // Nref 4, Nsys 3, Ntp 2, S 1, D 1, I 0
        r.Overall.Precision.Should().BeApproximately(2.0 / 3, 1e-12);
        r.Overall.Recall.Should().Be(0.5);
        r.Overall.F1.Should().BeApproximately(4.0 / 7, 1e-12);
        r.Overall.SubstitutionRate.Should().BeApproximately(0.25, 1e-12);
        r.Overall.DeletionRate.Should().BeApproximately(0.25, 1e-12);
        r.Overall.InsertionRate.Should().Be(0);
        r.Overall.ErrorRate.Should().BeApproximately(0.5, 1e-12);
        // dog: ref 3, sys 1, tp 1 -> P 1, R 1/3, F 0.5, ER = 2 fn / 3
        r.ClassWise["dog"].F1.Should().BeApproximately(0.5, 1e-12);
        r.ClassWise["dog"].ErrorRate.Should().BeApproximately(2.0 / 3, 1e-12);
        // cat: ref 1, sys 2, tp 1 -> P 0.5, R 1, F 2/3, ER = 1 fp / 1
        r.ClassWise["cat"].F1.Should().BeApproximately(2.0 / 3, 1e-12);
        r.ClassWise["cat"].ErrorRate.Should().BeApproximately(1, 1e-12);
        r.Macro.F1.Should().BeApproximately(7.0 / 12, 1e-12);
        r.Macro.ErrorRate.Should().BeApproximately(5.0 / 6, 1e-12);
    }

    [Fact]
    public void Segment_boundaries_floor_the_onset_and_ceil_the_offset()
    {
        // ref [1.0, 2.0] -> segment 1 only; est [1.9, 2.1] -> segments 1 and 2: 1 tp, 1 insertion
        var r = SedEvaluation.Evaluate(List(("a", 1.0, 2.0, "dog")), List(("a", 1.9, 2.1, "dog"))).SegmentBased;
        (r.Overall.Ntp, r.Overall.Nref, r.Overall.Nsys).Should().Be((1.0, 1.0, 2.0));
        r.Overall.ErrorRate.Should().BeApproximately(1, 1e-12);
    }

    [Fact]
    public void Files_are_scored_separately_and_paired_by_base_name()
    {
        // the same times in two files must not match across them
        var reference = List(("x.wav", 0, 1, "dog"), ("y.wav", 5, 6, "dog"));
        var estimated = List(("scenes/x.wav", 0, 1, "dog"), ("scenes/x.wav", 5, 6, "dog"));
        var e = SedEvaluation.Evaluate(reference, estimated);
        e.Files.Should().Equal("x.wav", "y.wav");
        e.EventBased.Overall.Ntp.Should().Be(1);
        e.EventBased.Overall.F1.Should().Be(0.5);
    }

    [Fact]
    public void Nothing_estimated_leaves_precision_undefined_and_error_rate_at_one()
    {
        var r = SedEvaluation.Evaluate(List(("a", 0, 1, "dog")), new DcaseEventList.Contents([], [])).EventBased;
        double.IsNaN(r.Overall.Precision).Should().BeTrue();
        r.Overall.Recall.Should().Be(0);
        r.Overall.ErrorRate.Should().BeApproximately(1, 1e-12);
    }
}
