using System.Diagnostics;
using System.Globalization;

namespace Yamnet.Classification;

/// <summary>
/// Where the threads of one <see cref="WindowPipeline"/> run spend their time, for finding its
/// bottleneck: enabled by <c>YAMNET_PIPELINE_TRACE=1</c> (off by default: nothing is measured
/// then), printed on stderr when the run ends. Per thread: windows it ran, wall time split into
/// model runs, framing (decode included), blocked waits (a worker for a framed window, the calling
/// thread for its next window in order) and the consumer callback,
/// plus the kernel's own accounting from /proc/thread-self/schedstat (CPU time, time runnable
/// but not running, i.e. the machine's load), managed bytes the thread allocated, and the run's
/// Monitor lock contentions.
/// </summary>
internal sealed class PipelineTrace
{
    internal static readonly bool Enabled = Environment.GetEnvironmentVariable("YAMNET_PIPELINE_TRACE") == "1";

    private readonly ThreadTimes[] _threads;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly long _contentionStart = Monitor.LockContentionCount;

    internal PipelineTrace(int workers)
    {
        _threads = new ThreadTimes[workers + 1];
        for (int i = 0; i < _threads.Length; i++) _threads[i] = new ThreadTimes(i == 0 ? "caller" : "worker-" + i);
    }

    /// <summary>Index 0 is the calling thread (delivery), 1… the workers (framing and runs).</summary>
    internal ThreadTimes this[int index] => _threads[index];

    internal void Report(int windows)
    {
        double wall = Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
        var w = Console.Error;
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine(string.Format(inv, "yamnet: pipeline trace: {0} windows, {1} workers, wall {2:0.0} ms, renting sessions {3:0.0} ms (the slowest worker), lock contentions {4}",
            windows, _threads.Length - 1, wall, Ms(_threads.Max(t => t.Rent)), Monitor.LockContentionCount - _contentionStart));
        w.WriteLine("yamnet: pipeline trace:   thread     windows   wall ms    run ms  frame ms   wait ms  callback  sleeps   cpu ms  runq ms  slices  alloc B");
        foreach (var t in _threads)
        {
            w.WriteLine(string.Format(inv, "yamnet: pipeline trace:   {0,-10} {1,7} {2,9:0.0} {3,9:0.0} {4,9:0.0} {5,9:0.0} {6,9:0.0} {7,7} {8,8:0.0} {9,8:0.0} {10,7} {11,8}",
                t.Name, t.Windows, t.WallMs, Ms(t.Busy), Ms(t.Frame), Ms(t.Wait), Ms(t.Callback), t.Sleeps,
                t.CpuNs / 1e6, t.RunQueueNs / 1e6, t.Slices, t.Allocated));
        }
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>One thread's accumulators (Stopwatch ticks), written only by that thread.</summary>
    internal sealed class ThreadTimes(string name)
    {
        internal readonly string Name = name;
        internal int Windows, Sleeps;
        internal long Busy, Frame, Wait, Callback, Rent;
        internal double WallMs;
        internal long CpuNs, RunQueueNs, Slices, Allocated;
        private long _begin, _allocated;
        private (long Cpu, long RunQueue, long Slices) _sched;

        internal void Begin()
        {
            _begin = Stopwatch.GetTimestamp();
            _sched = SchedStat();
            _allocated = GC.GetAllocatedBytesForCurrentThread();
        }

        internal void End()
        {
            Allocated = GC.GetAllocatedBytesForCurrentThread() - _allocated;
            WallMs = Stopwatch.GetElapsedTime(_begin).TotalMilliseconds;
            var s = SchedStat();
            CpuNs = s.Cpu - _sched.Cpu;
            RunQueueNs = s.RunQueue - _sched.RunQueue;
            Slices = s.Slices - _sched.Slices;
        }

        // "cpu_ns runqueue_wait_ns timeslices" of the calling thread (Linux; zeros elsewhere).
        private static (long Cpu, long RunQueue, long Slices) SchedStat()
        {
            try
            {
                var f = File.ReadAllText("/proc/thread-self/schedstat").Split(' ');
                return (long.Parse(f[0], CultureInfo.InvariantCulture), long.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[2], CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                return (0, 0, 0);
            }
        }
    }
}
