using System.CommandLine;
using System.Security.Cryptography;
using Yamnet.Audio;
using Yamnet.NativeRuntime;
using Yamnet.TfLite;

namespace Yamnet.Cli.Commands;

/// <summary>
/// <c>yamnet doctor</c>: what this installation runs on. Each native library with the file it was
/// loaded from, its version and every path tried (with the loader's reason for each failure); the
/// audio containers libsndfile reads; the CPU features XNNPACK picks kernels by; whether the model
/// found is a known one. Exit 0 when TFLite, libsndfile and libsoxr load (libasound is needed only
/// by <c>listen</c>), 1 otherwise.
/// </summary>
public static class DoctorCommand
{
    private static readonly NativeLibraryKind[] s_required = [NativeLibraryKind.TfLite, NativeLibraryKind.SndFile, NativeLibraryKind.Soxr];

    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "The model to check (default: found like classify's --model)." };
        var command = new Command("doctor", "Report the native libraries loaded (and every path tried), audio formats, CPU features and the model.");
        command.Options.Add(model);
        command.SetAction(parse =>
        {
            var o = Console.Out;
            bool ok = true;
            o.WriteLine("Native libraries:");
            foreach (var kind in Enum.GetValues<NativeLibraryKind>())
            {
                var info = NativeLibraries.Probe(kind);
                bool required = s_required.Contains(kind);
                if (!info.IsLoaded && required) ok = false;
                o.WriteLine(info.IsLoaded
                    ? $"  {Name(kind)}: {info.LoadedFrom} (version {info.Version ?? "unknown"})"
                    : $"  {Name(kind)}: NOT LOADED{(required ? "" : " (needed only by 'listen')")}: {CliHost.OneLine(info.Error?.Message ?? "")}");
                foreach (var a in info.Attempts)
                    o.WriteLine($"    tried {a.Path} [{a.Source}]: {a.Error ?? "loaded"}");
            }

            if (NativeLibraries.Probe(NativeLibraryKind.SndFile).IsLoaded)
            {
                var formats = AudioReader.ReadableFormats();
                o.WriteLine($"Audio formats libsndfile reads ({formats.Count}):");
                foreach (var f in formats) o.WriteLine($"  {f.Extension,-6} {f.Name}");
            }

            var cpu = CpuFeatures.Detect();
            o.WriteLine($"CPU: {cpu.Architecture}, {cpu.ModelName ?? "unknown model"}, {Environment.ProcessorCount} logical cores");
            o.WriteLine($"  XNNPACK-relevant features present: {(cpu.Present.Count == 0 ? "(none)" : string.Join(' ', cpu.Present))}");
            o.WriteLine($"  absent: {(cpu.Absent.Count == 0 ? "(none)" : string.Join(' ', cpu.Absent))}");
            if (NativeLibraries.Probe(NativeLibraryKind.TfLite).IsLoaded)
                o.WriteLine($"  XNNPACK float padding: {(XnnPackModelPadding.IsActive ? "on" : "off")} ({TfLiteRuntime.XnnPackFloatPadding.ToString().ToLowerInvariant()}; TFLite 2.9's XNNPACK aborts on AMD Zen without it)");

            var found = AssetLocator.FindModel(parse.GetValue(model));
            if (found.Path is null)
            {
                o.WriteLine($"Model: not found (tried: {string.Join("; ", found.Tried)})");
            }
            else
            {
                string sha;
                using (var stream = File.OpenRead(found.Path)) sha = Convert.ToHexStringLower(SHA256.HashData(stream));
                string? known = KnownModels.NameOf(sha);
                o.WriteLine($"Model: {Path.GetFullPath(found.Path)}");
                o.WriteLine($"  sha256: {sha}");
                o.WriteLine($"  known model: {known ?? "no (not one of KnownModels: validated structurally only)"}");
                if (NativeLibraries.Probe(NativeLibraryKind.TfLite).IsLoaded)
                {
                    try
                    {
                        using var m = TfLiteModel.FromFile(found.Path);
                        o.WriteLine("  loads: yes");
                    }
                    catch (YamnetException e)
                    {
                        o.WriteLine($"  loads: no: {CliHost.OneLine(e.Message)}");
                        ok = false;
                    }
                }
            }
            return ok ? ExitCodes.Ok : ExitCodes.InputFailed;
        });
        return command;
    }

    private static string Name(NativeLibraryKind kind) => kind switch
    {
        NativeLibraryKind.TfLite => "TFLite (libtensorflowlite_c.so)",
        NativeLibraryKind.SndFile => "libsndfile",
        NativeLibraryKind.Soxr => "libsoxr",
        _ => "libasound",
    };
}
