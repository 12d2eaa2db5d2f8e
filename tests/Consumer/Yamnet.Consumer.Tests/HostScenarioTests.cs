using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Microsoft.Extensions.Logging;
using Yamnet.Classification;
using Yamnet.NativeRuntime;
using Yamnet.TfLite;

namespace Yamnet.Consumer.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCollection
{
    public const string Name = "process-wide (fd 2)";
}

/// <summary>
/// Issue 11's host scenarios through the package: a host that writes to stderr, starts children and
/// logs through Microsoft.Extensions.Logging while Yamnet creates sessions; its own DllImport resolver.
/// </summary>
[Collection(ProcessWideCollection.Name)]
public sealed class HostScenarioTests
{
    private static string Model => Path.Combine(Environment.GetEnvironmentVariable("YAMNET_SHARED_DIR")!, "models", "yamnet.tflite");

    [DllImport("libc.so.6", EntryPoint = "write")] private static extern nint Write(int fd, byte[] b, nuint n);
    [DllImport("libc.so.6", EntryPoint = "dup")] private static extern int Dup(int fd);
    [DllImport("libc.so.6", EntryPoint = "dup2")] private static extern int Dup2(int a, int b);
    [DllImport("libc.so.6", EntryPoint = "close")] private static extern int Close(int fd);

    private static void WhileCreatingSessions(Action<Func<bool>> side)
    {
        using var classifier = AudioClassifier.Load(Model);
        using var done = new ManualResetEventSlim();
        var t = new Thread(() => side(() => done.IsSet));
        t.Start();
        try
        {
            for (int i = 0; i < 10; i++) { using var s = classifier.CreateSession(); }
        }
        finally
        {
            done.Set();
            t.Join();
        }
    }

    /// <summary>Runs <paramref name="body"/> with fd 2 on a temp file; returns what reached it.</summary>
    private static string CaptureOwnStderr(Action body)
    {
        string path = Path.GetTempFileName();
        using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite);
        int saved = Dup(2);
        Dup2((int)file.SafeFileHandle.DangerousGetHandle(), 2).Should().Be(2);
        try
        {
            body();
        }
        finally
        {
            Dup2(saved, 2);
            Close(saved);
        }
        string text = File.ReadAllText(path);
        File.Delete(path);
        return text;
    }

    [Fact]
    public void Host_stderr_lines_console_streams_and_children_are_untouched_during_creation()
    {
        TfLiteRuntime.CaptureNativeStderr.Should().BeFalse("nothing process-wide changes unless the host asks");
        int written = 0;
        var streams = new ConcurrentQueue<Stream>();
        var children = new ConcurrentQueue<string>();
        string text = CaptureOwnStderr(() =>
        {
            WhileCreatingSessions(isDone =>
            {
                while (!isDone() || written < 20)
                {
                    byte[] line = System.Text.Encoding.UTF8.GetBytes($"host line {written++}\n");
                    Write(2, line, (nuint)line.Length);
                    if (written % 5 == 0) streams.Enqueue(Console.OpenStandardError());
                    if (written % 10 == 0)
                    {
                        using var p = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "readlink /proc/self/fd/2"]) { RedirectStandardOutput = true })!;
                        children.Enqueue(p.StandardOutput.ReadToEnd().Trim());
                        p.WaitForExit();
                    }
                    Thread.Sleep(1); // pacing only
                }
            });
            int n = 0;
            foreach (var s in streams)
            {
                using var w = new StreamWriter(s);
                w.WriteLine($"console stream {n++}");
            }
        });
        var lines = text.Split('\n');
        lines.Count(l => l.StartsWith("host line ", StringComparison.Ordinal)).Should().Be(written);
        lines.Count(l => l.StartsWith("console stream ", StringComparison.Ordinal)).Should().Be(streams.Count);
        children.Should().NotBeEmpty().And.OnlyContain(t => !t.Contains("memfd"));
    }

    [Fact]
    public void A_throwing_or_blocking_host_logger_fails_nothing_and_blocks_no_other_thread()
    {
        using var release = new ManualResetEventSlim();
        using var inside = new ManualResetEventSlim();
        int blocking = -1;
        var factory = new HookFactory(() =>
        {
            if (Environment.CurrentManagedThreadId == Volatile.Read(ref blocking)) { inside.Set(); release.Wait(TimeSpan.FromSeconds(60)); }
            else throw new InvalidOperationException("sink down");
        });
        using var classifier = AudioClassifier.Load(Model, new AudioClassifierOptions { LoggerFactory = factory });
        using (classifier.CreateSession()) { }  // the throwing logger is contained
        factory.Calls.Should().BePositive();

        var a = new Thread(() =>
        {
            Volatile.Write(ref blocking, Environment.CurrentManagedThreadId);
            using var s = classifier.CreateSession();
        });
        a.Start();
        try
        {
            inside.Wait(TimeSpan.FromSeconds(60)).Should().BeTrue();
            Task.Run(() => { using var s = classifier.CreateSession(); }).Wait(TimeSpan.FromSeconds(60)).Should().BeTrue();
        }
        finally
        {
            release.Set();
            a.Join();
        }
    }

    [Fact]
    public void Native_libraries_report_the_package_file_and_wrong_configuration_is_loud()
    {
        var info = NativeLibraries.Probe(NativeLibraryKind.TfLite);
        info.LoadedFrom.Should().StartWith(Path.Combine(AppContext.BaseDirectory, "runtimes"));
        info.Version.Should().NotBeNullOrEmpty();
        FluentActions.Invoking(() => NativeLibraries.Configure(new NativeLibraryOptions { SndFilePath = "/nonexistent/libsndfile.so.1" }))
            .Should().Throw<NativeLibraryException>().Which.ErrorCode.Should().Be(YamnetErrorCode.NativeLibraryMisconfigured);
    }

    [Fact]
    public void A_host_resolver_registered_before_first_use_coexists()
    {
        // A fresh load of the package assembly stands for a host before its first Yamnet call.
        var context = new AssemblyLoadContext("host-" + Guid.NewGuid().ToString("N"));
        var assembly = context.LoadFromAssemblyPath(typeof(NativeLibraries).Assembly.Location);
        var seen = new ConcurrentQueue<string>();
        NativeLibrary.SetDllImportResolver(assembly, (name, asm, path) => { seen.Enqueue(name); return 0; });
        var version = (string)assembly.GetType("Yamnet.TfLite.TfLiteRuntime")!.GetProperty("Version")!.GetValue(null)!;
        version.Should().NotBeNullOrEmpty("ours resolves what the host's resolver leaves");
        seen.Should().Contain("tensorflowlite_c");
    }

    private sealed class HookFactory(Action hook) : ILoggerFactory
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        private void Called()
        {
            Interlocked.Increment(ref _calls);
            hook();
        }

        public ILogger CreateLogger(string categoryName) => new HookLogger(this);

        public void AddProvider(ILoggerProvider provider) { }

        public void Dispose() { }

        private sealed class HookLogger(HookFactory owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                owner.Called();
            }
        }
    }
}
