using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Yamnet.Audio;
using Yamnet.Classification;
using Yamnet.Live;
using Yamnet.Native.Tests.Audio;
using Yamnet.TfLite;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.ProcessWide;

/// <summary>
/// The scenarios of issue 11 in which the library changed something process-wide behind its host's
/// back (fd 2, Console.Error, children's stderr, log handlers under a lock, ALSA's error handler,
/// libsndfile's error slot). Each would fail on the library as it was (fd 2 redirected by default).
/// Serial: they own fd 2 and <see cref="TfLiteRuntime.CaptureNativeStderr"/> while they run.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ProcessWideScenarioTests
{
    private const int Creations = 12;

    private static readonly Lazy<AudioClassifier> s_classifier = new(() => AudioClassifier.Load(TestAssets.YamnetModel));

    /// <summary>Runs <paramref name="sideWork"/> on another thread until <see cref="Creations"/> sessions were created here (with XNNPACK).</summary>
    private static void WhileCreatingSessions(Action<Func<bool>> sideWork)
    {
        var classifier = s_classifier.Value;
        using var done = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var side = new Thread(() =>
        {
            started.Set();
            sideWork(() => done.IsSet);
        });
        side.Start();
        started.Wait();
        try
        {
            for (int i = 0; i < Creations; i++)
            {
                using var session = classifier.CreateSession();
            }
        }
        finally
        {
            done.Set();
            side.Join();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Another_threads_stderr_lines_all_reach_stderr_while_sessions_are_created(bool hostOptedInToCapture)
    {
        _ = s_classifier.Value;
        int written = 0;
        string text;
        using (var stderr = new StderrToFile())
        {
            TfLiteRuntime.CaptureNativeStderr = hostOptedInToCapture;
            try
            {
                WhileCreatingSessions(isDone =>
                {
                    // Paced (not synchronised) so the file stays small; at least 20 lines in all.
                    while (!isDone() || written < 20)
                    {
                        TestLibc.WriteLine(2, $"other-thread line {written}");
                        written++;
                        Thread.Sleep(1);
                    }
                });
            }
            finally
            {
                TfLiteRuntime.CaptureNativeStderr = false;
            }
            text = stderr.Finish();
        }
        var arrived = text.Split('\n').Where(l => l.StartsWith("other-thread line ", StringComparison.Ordinal)).ToHashSet();
        arrived.Should().HaveCount(written, "every line another thread wrote to fd 2 reaches it (capture opted in: {0})", hostOptedInToCapture);
    }

    [Fact]
    public void Console_error_streams_opened_during_a_creation_still_write_to_stderr()
    {
        // Console.Error is built by dup(2) on first use; Console.OpenStandardError() is that same call.
        _ = s_classifier.Value;
        var streams = new ConcurrentQueue<Stream>();
        string text;
        using (var stderr = new StderrToFile())
        {
            WhileCreatingSessions(isDone =>
            {
                while (!isDone() || streams.Count < 10)
                {
                    streams.Enqueue(Console.OpenStandardError());
                    Thread.Sleep(1);
                }
            });
            int n = 0;
            foreach (var s in streams)
            {
                using var w = new StreamWriter(s);
                w.WriteLine($"console stream {n++}");
            }
            text = stderr.Finish();
        }
        text.Split('\n').Count(l => l.StartsWith("console stream ", StringComparison.Ordinal)).Should().Be(streams.Count);
    }

    [Fact]
    public void Child_processes_started_during_a_creation_inherit_the_real_stderr()
    {
        _ = s_classifier.Value;
        var targets = new ConcurrentQueue<string>();
        WhileCreatingSessions(isDone =>
        {
            while (!isDone() || targets.Count < 3)
            {
                var psi = new ProcessStartInfo("/bin/sh", ["-c", "readlink /proc/self/fd/2"]) { RedirectStandardOutput = true };
                using var p = Process.Start(psi)!;
                targets.Enqueue(p.StandardOutput.ReadToEnd().Trim());
                p.WaitForExit();
            }
        });
        string own = new FileInfo("/proc/self/fd/2").LinkTarget ?? "";
        targets.Should().NotBeEmpty().And.AllSatisfy(t => t.Should().NotContain("memfd").And.Be(own));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_throwing_logger_neither_fails_creation_nor_leaks_a_descriptor(bool hostOptedInToCapture)
    {
        var factory = new CollectingLoggerFactory((_, _, _) => throw new InvalidOperationException("log sink down"));
        TfLiteRuntime.CaptureNativeStderr = hostOptedInToCapture;
        // One-time descriptors (the first capture binds Console.Error to the real fd 2) are not leaks.
        using (s_classifier.Value.CreateSession()) { }
        int fdsBefore = Directory.GetFiles("/proc/self/fd").Length;
        try
        {
            using var classifier = AudioClassifier.Load(TestAssets.YamnetModel, new AudioClassifierOptions { LoggerFactory = factory });
            for (int i = 0; i < 4; i++)
            {
                using var session = classifier.CreateSession();
                session.Input.Clear();
                session.Run();
            }
        }
        finally
        {
            TfLiteRuntime.CaptureNativeStderr = false;
        }
        factory.Events.Should().NotBeEmpty("the logger was called, and threw each time");
        Directory.GetFiles("/proc/self/fd").Length.Should().BeLessThanOrEqualTo(fdsBefore);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_blocked_logger_on_one_thread_does_not_block_creation_on_another(bool hostOptedInToCapture)
    {
        var classifier = s_classifier.Value;
        using var insideLogger = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int blockingThread = -1;
        var factory = new CollectingLoggerFactory((_, _, _) =>
        {
            if (Environment.CurrentManagedThreadId != Volatile.Read(ref blockingThread)) return;
            insideLogger.Set();
            release.Wait(TimeSpan.FromSeconds(60));
        });
        TfLiteRuntime.CaptureNativeStderr = hostOptedInToCapture;
        try
        {
            var a = new Thread(() =>
            {
                Volatile.Write(ref blockingThread, Environment.CurrentManagedThreadId);
                using var i = TfLiteInterpreter.Create(classifier.Model, new TfLiteInterpreterOptions { LoggerFactory = factory });
            });
            a.Start();
            insideLogger.Wait(TimeSpan.FromSeconds(60)).Should().BeTrue("thread A reaches the host's logger");
            // A now sits in the host's logger. B must not wait for it.
            var b = Task.Run(() =>
            {
                using var session = classifier.CreateSession();
            });
            bool bFinished = b.Wait(TimeSpan.FromSeconds(60));
            release.Set();
            a.Join();
            bFinished.Should().BeTrue("creating a session must not wait for another thread's log handler");
        }
        finally
        {
            release.Set();
            TfLiteRuntime.CaptureNativeStderr = false;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Alsa_error_handler_is_left_alone_or_restored(bool quietLibrary)
    {
        nint before = AlsaCaptureSource.CurrentHandler();
        FluentActions.Invoking(() => AlsaCaptureSource.Open("hw:97,0", 16000, quietLibrary)).Should().Throw<AudioDeviceException>();
        AlsaCaptureSource.CurrentHandler().Should().Be(before);
        AlsaCaptureSource.LibraryHandlerReplaced.Should().BeFalse();
    }

    [Fact]
    public void Parallel_failing_opens_each_get_their_own_libsndfile_error()
    {
        string dir = TestAssets.NewTempDir("sf-race");
        try
        {
            string text = Path.Combine(dir, "text.wav");
            File.WriteAllText(text, "Hello, this is plainly a text file.\nLine two.\n");
            string codec = Path.Combine(dir, "codec.wav");
            File.WriteAllBytes(codec, AudioTestData.BuildWav(0x1234, 1, 16000, 16, AudioTestData.Pcm16Bytes(new short[2000])));
            string? Native(string path)
            {
                try
                {
                    using var r = AudioReader.Open(path, 16000);
                    return "opened";
                }
                catch (AudioException e)
                {
                    return e.NativeMessage;
                }
            }
            string? textError = Native(text), codecError = Native(codec);
            textError.Should().NotBe(codecError, "the two files fail for different reasons");
            int mismatches = 0;
            Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            {
                string path = i % 2 == 0 ? text : codec;
                if (Native(path) != (i % 2 == 0 ? textError : codecError)) Interlocked.Increment(ref mismatches);
            });
            mismatches.Should().Be(0);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Opted_in_capture_sends_tflite_lines_to_the_log_and_writes_other_lines_back()
    {
        string text;
        NativeStderr.Captured captured;
        using (var stderr = new StderrToFile())
        {
            TfLiteRuntime.CaptureNativeStderr = true;
            try
            {
                NativeStderr.Run(() =>
                {
                    TestLibc.WriteLine(2, "INFO: native chatter");
                    TestLibc.WriteLine(2, "someone else's line");
                    return 0;
                }, out captured);
            }
            finally
            {
                TfLiteRuntime.CaptureNativeStderr = false;
            }
            text = stderr.Finish();
        }
        captured.Lines.Should().Equal("INFO: native chatter");
        text.Should().Contain("someone else's line").And.NotContain("native chatter");
        var factory = new CollectingLoggerFactory();
        captured.LogTo(factory.CreateLogger(Logging.YamnetLogCategories.TfLite));
        factory.Events.Should().ContainSingle(e => e.Level == LogLevel.Information && e.Message == "native chatter");
    }
}
