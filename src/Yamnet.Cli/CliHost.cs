using System.CommandLine;
using System.CommandLine.Invocation;
using Yamnet.TfLite;

namespace Yamnet.Cli;

/// <summary>
/// Parses and runs a command tree with the CLI's error contract: parse errors and
/// <see cref="UsageException"/> print one line on stderr and exit 2; any other exception prints
/// <c>yamnet: error: &lt;message&gt;</c> and exits 1 (2 for model problems). Never a stack trace.
/// </summary>
public static class CliHost
{
    public static int Run(RootCommand root, string[] args)
    {
        try
        {
            var parse = root.Parse(args);
            if (parse.Action is ParseErrorAction || (parse.Errors.Count > 0 && parse.Action is null))
            {
                string first = parse.Errors.Count > 0 ? parse.Errors[0].Message : "no command given";
                Error(OneLine(first) + " (see 'yamnet --help')");
                return ExitCodes.Usage;
            }
            var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            return parse.Invoke(config);
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    /// <summary>Prints an exception as one line and returns the exit code it maps to.</summary>
    public static int Report(Exception e)
    {
        switch (e)
        {
            case UsageException:
                Error(OneLine(e.Message));
                return ExitCodes.Usage;
            case NativeLibraryException { Library: "tensorflowlite_c" } n:
                Error(OneLine(n.Message) + " In a checkout of the Yamnet repository, native/build-tflite.sh provisions it.");
                return ExitCodes.Usage;
            case ModelException or NativeRuntimeException or FileNotFoundException or FormatException or ArgumentException:
                Error(OneLine(e.Message));
                return ExitCodes.Usage;
            case OperationCanceledException:
                Error("interrupted");
                return 130;
            default:
                Error(OneLine(e.Message));
                return ExitCodes.InputFailed;
        }
    }

    public static void Error(string message)
    {
        StdErr.WriteLine("yamnet: error: " + message);
    }

    public static string OneLine(string text)
        => string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
