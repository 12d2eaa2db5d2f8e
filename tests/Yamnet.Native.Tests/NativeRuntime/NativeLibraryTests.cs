using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Yamnet.Interop;
using Yamnet.NativeRuntime;
using Yamnet.Tests;

namespace Yamnet.Native.Tests.NativeRuntime;

/// <summary>Explicit paths, loud errors with the loader's reason, a report of what was loaded, and a resolver that lets a host's own come first.</summary>
public sealed class NativeLibraryTests : IDisposable
{
    private readonly string _dir = TestAssets.NewTempDir("native-libs");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static NativeLibraryInfo TryOnly(string path)
        => NativeLibraryResolver.LoadFrom(NativeLibraryKind.TfLite, [(path, "configured")], out _);

    [Fact]
    public void Loaded_libraries_report_their_real_file_version_and_attempts()
    {
        _ = Yamnet.TfLite.TfLiteRuntime.Version;
        var info = NativeLibraries.Probe(NativeLibraryKind.TfLite);
        info.IsLoaded.Should().BeTrue();
        File.Exists(info.LoadedFrom).Should().BeTrue();
        info.Version.Should().StartWith("2.");
        info.Attempts.Should().NotBeEmpty().And.ContainSingle(a => a.Succeeded);
        NativeLibraries.Probe(NativeLibraryKind.SndFile).LoadedFrom.Should().StartWith("/").And.Contain("libsndfile.so");
        NativeLibraries.Loaded.Select(l => l.Kind).Should().Contain(NativeLibraryKind.TfLite);
    }

    [Fact]
    public void A_wrong_architecture_file_fails_with_the_loaders_reason()
    {
        string other = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? "linux-arm64" : "linux-x64";
        string path = Path.Combine(TestAssets.RepoRoot, "native", "out", other, "libtensorflowlite_c.so");
        File.Exists(path).Should().BeTrue();
        var info = TryOnly(path);
        info.IsLoaded.Should().BeFalse();
        info.Error!.ErrorCode.Should().Be(YamnetErrorCode.NativeLibraryLoadFailed);
        info.Attempts[0].Error.Should().MatchRegex("wrong architecture: the file is 64-bit ELF for (aarch64|x86-64)").And.Contain("dlerror");
        info.Error.Message.Should().Contain("was found but could not be loaded").And.Contain("Yamnet.Native NuGet package").And.NotContain("build-tflite.sh");
    }

    [Fact]
    public void A_file_that_is_not_a_shared_object_fails_with_the_loaders_reason()
    {
        string path = Path.Combine(_dir, "libtensorflowlite_c.so");
        File.WriteAllText(path, "not an ELF file\n");
        var info = TryOnly(path);
        info.Error!.ErrorCode.Should().Be(YamnetErrorCode.NativeLibraryLoadFailed);
        info.Error.NativeMessage.Should().MatchRegex("invalid ELF header|file too short|not a dynamic");
    }

    [Fact]
    public void A_library_with_a_missing_dependency_names_the_dependency()
    {
        // libneeds.so links against libgone.so, which is then deleted.
        string gone = Path.Combine(_dir, "libgone.so"), needs = Path.Combine(_dir, "libneeds.so");
        File.WriteAllText(Path.Combine(_dir, "gone.c"), "int gone(void) { return 1; }\n");
        File.WriteAllText(Path.Combine(_dir, "needs.c"), "int gone(void); int needs(void) { return gone(); }\n");
        Run("gcc", "-shared", "-fPIC", "-o", gone, Path.Combine(_dir, "gone.c"));
        Run("gcc", "-shared", "-fPIC", "-o", needs, Path.Combine(_dir, "needs.c"), "-L" + _dir, "-lgone");
        File.Delete(gone);
        var info = TryOnly(needs);
        info.Error!.ErrorCode.Should().Be(YamnetErrorCode.NativeLibraryLoadFailed);
        info.Error.NativeMessage.Should().Contain("libgone.so");
    }

    [Fact]
    public void Configuring_a_path_that_does_not_exist_is_loud()
    {
        var act = () => NativeLibraries.Configure(new NativeLibraryOptions { SoxrPath = Path.Combine(_dir, "nope.so") });
        act.Should().Throw<NativeLibraryException>().Which.ErrorCode.Should().Be(YamnetErrorCode.NativeLibraryMisconfigured);
    }

    [Fact]
    public void Configuring_another_file_after_the_library_was_loaded_is_loud()
    {
        _ = Yamnet.TfLite.TfLiteRuntime.Version;
        string copy = Path.Combine(_dir, "libtensorflowlite_c.so");
        File.Copy(NativeLibraries.Probe(NativeLibraryKind.TfLite).LoadedFrom!, copy);
        var act = () => NativeLibraries.Configure(new NativeLibraryOptions { TfLitePath = copy });
        act.Should().Throw<NativeLibraryException>().Which.Message.Should().Contain("already loaded");
    }

    [Fact]
    public void A_hosts_own_resolver_registered_first_is_kept_and_ours_resolves_what_it_leaves()
    {
        // A fresh copy of the assembly (its own context) stands for a host process before its first Yamnet call.
        var context = new AssemblyLoadContext("host-" + Guid.NewGuid().ToString("N"));
        var assembly = context.LoadFromAssemblyPath(typeof(NativeLibraries).Assembly.Location);
        var seen = new List<string>();
        string tflite = NativeLibraries.Probe(NativeLibraryKind.TfLite).LoadedFrom!;
        NativeLibrary.SetDllImportResolver(assembly, (name, _, _) =>
        {
            lock (seen) seen.Add(name);
            return name == "tensorflowlite_c" ? NativeLibrary.Load(tflite) : 0;
        });
        string version = (string)assembly.GetType("Yamnet.TfLite.TfLiteRuntime")!.GetProperty("Version")!.GetValue(null)!;
        version.Should().StartWith("2.");
        // sndfile: the host returns 0, so our resolver (behind it) loads it. (Asking libsndfile for its
        // formats, not opening a WAV: a plain 16-bit WAV file is decoded without libsndfile.)
        var formats = (System.Collections.IEnumerable)assembly.GetType("Yamnet.Audio.AudioReader")!.GetMethod("ReadableFormats")!.Invoke(null, null)!;
        formats.Cast<object>().Should().NotBeEmpty();
        lock (seen) seen.Should().Contain(["tensorflowlite_c", "sndfile"]);
        var registration = assembly.GetType("Yamnet.Interop.NativeLibraryResolver")!.GetProperty("Registration", BindingFlags.NonPublic | BindingFlags.Static)!;
        registration.GetValue(null).Should().Be("fallback");
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.Should().Be(0, err);
    }
}
