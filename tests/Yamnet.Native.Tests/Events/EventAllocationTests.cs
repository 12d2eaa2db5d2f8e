using Yamnet.Audio;
using Yamnet.Events;

namespace Yamnet.Native.Tests.Events;

[Collection(SerialCollection.Name)]
public class EventAllocationTests
{
    private sealed class CountingSink : ISoundEventSink
    {
        public int Opened, Closed;

        void ISoundEventSink.Opened(in SoundEvent e) => Opened++;

        void ISoundEventSink.Closed(in SoundEvent e) => Closed++;
    }

    [Fact]
    public void Steady_state_allocates_nothing_per_window_even_with_events_groups_and_a_median()
    {
        var names = Enumerable.Range(0, 521).Select(i => "class " + i).ToArray();
        var options = new EventDetectorOptions
        {
            DefaultRule = new EventRule(0.5f, 0.3f, 1, 1, 5),
            Groups = [LabelGroup.Parse("g=class 1;class 2;class 3")],
            Rules = [new EventRuleOverride("class 7", 0.2f)],
        };
        var sink = new CountingSink();
        var detector = new EventDetector(options, names, new EventTimeline(15600, 7800, 16000), sink);
        var scores = new float[521];
        void Run(int from, int count)
        {
            for (int k = from; k < from + count; k++)
            {
                // classes switch on and off every few windows so events open, merge and close all the time
                for (int c = 0; c < scores.Length; c++) scores[c] = ((k / (1 + c % 7)) & 1) == 0 ? 0.9f : 0.1f;
                long start = (long)k * 7800;
                detector.Push(new AudioWindow(k, start, start / 16000.0, (start + 15600) / 16000.0), scores);
            }
        }
        Run(0, 200); // warm-up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(200, 5000);
        detector.Flush();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        sink.Opened.Should().BeGreaterThan(1000);
        sink.Closed.Should().Be(sink.Opened);
    }
}
