using System.CommandLine;
using Yamnet.Isolation;
using Yamnet.TfLite;

namespace Yamnet.Cli.Commands;

/// <summary>
/// The unknown-model trial: <see cref="Require"/> (called before a model is loaded) runs the bundled
/// C probe (<c>tflite-probe --trial</c>, beside this binary or in the checkout's native/out/&lt;rid&gt;),
/// else re-executes this CLI as <c>yamnet __model-trial MODEL DELEGATE FLAGS THREADS</c> (hidden),
/// which runs <see cref="ModelTrial.RunChild"/>; a crash there becomes one line and exit 2 here.
/// </summary>
public static class ModelTrialCommand
{
    public const string Name = "__model-trial";

    public static Command Create()
    {
        var args = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command(Name, "Internal: run a model once (the child of the unknown-model trial).") { Hidden = true };
        command.Arguments.Add(args);
        command.SetAction(parse =>
        {
            if (!ModelTrial.TryParseChildArguments(parse.GetValue(args) ?? [], out string path, out var interpreter))
                throw new UsageException($"{Name} MODEL DELEGATE FLAGS THREADS");
            TfLiteRuntime.CaptureNativeStderr = false; // the parent discards this process's stderr anyway
            return ModelTrial.RunChild(path, interpreter);
        });
        return command;
    }

    /// <summary>Throws a <see cref="UsageException"/> (exit 2) when <paramref name="modelPath"/> crashes or hangs in a trial.</summary>
    public static void Require(string modelPath, TfLiteInterpreterOptions interpreter, bool verbose)
    {
        ModelVerdict verdict;
        try
        {
            verdict = ModelTrial.Check(modelPath, Options(interpreter));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // an unreadable model fails with its own message when it is loaded
        }
        if (verbose && verdict.Kind != ModelVerdictKind.Known)
            StdErr.WriteLine($"yamnet: model trial ({(verdict.FromCache ? "cached" : verdict.Source == "validation" ? "validation" : "child process " + verdict.Source)}): {verdict.Kind.ToString().ToLowerInvariant()}{(verdict.Detail.Length > 0 ? ": " + verdict.Detail : "")}");
        if (!verdict.IsSafe) throw new UsageException($"{modelPath}: {ModelTrial.Describe(verdict, interpreter)}");
    }

    /// <summary>The CLI's trial: the bundled probe first, this CLI re-executed as the fallback.</summary>
    public static ModelTrialOptions Options(TfLiteInterpreterOptions interpreter)
        => new() { ProbePath = ModelTrialOptions.BundledProbePath(), ChildCommand = SelfCommand(), Interpreter = interpreter };

    /// <summary>How to start this CLI again: the NativeAOT binary itself, or <c>dotnet exec yamnet.dll</c>.</summary>
    internal static string[] SelfCommand()
    {
        string exe = Environment.ProcessPath ?? "yamnet";
        return Path.GetFileNameWithoutExtension(exe) == "dotnet"
            ? [exe, "exec", Path.Combine(AppContext.BaseDirectory, "yamnet.dll"), Name]
            : [exe, Name];
    }
}
