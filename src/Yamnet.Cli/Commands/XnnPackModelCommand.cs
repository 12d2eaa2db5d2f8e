using System.CommandLine;
using Yamnet.TfLite;

namespace Yamnet.Cli.Commands;

/// <summary>
/// <c>yamnet __xnnpack-model MODEL OUT</c> (hidden): writes to OUT the model XNNPACK interpreters of
/// this process would run for MODEL, i.e. MODEL itself or its padded copy where TFLite 2.9's XNNPACK
/// needs one (AMD Zen, see <see cref="TfLiteRuntime.XnnPackFloatPadding"/>). For C programs run on
/// the same library, such as native/test-native.sh's probe checks: the prebuilt 2.9 aborts on them
/// otherwise. Prints "padded N" or "unchanged". OUT must not exist (nothing is overwritten).
/// </summary>
public static class XnnPackModelCommand
{
    public const string Name = "__xnnpack-model";

    public static Command Create()
    {
        var model = new Argument<string>("model");
        var output = new Argument<string>("out");
        var command = new Command(Name, "Internal: write the model XNNPACK runs here (padded where TFLite 2.9 needs it).") { Hidden = true };
        command.Arguments.Add(model);
        command.Arguments.Add(output);
        command.SetAction(parse =>
        {
            string source = parse.GetValue(model)!, target = parse.GetValue(output)!;
            if (!File.Exists(source)) throw new UsageException($"{source}: model file not found");
            if (File.Exists(target) || Directory.Exists(target)) throw new UsageException($"{target}: already exists (not overwritten)");
            byte[] bytes = File.ReadAllBytes(source);
            // Pad validates the model first, so a file that is not a model is refused here too, whether or not this process pads.
            byte[]? padded = XnnPackModelPadding.Pad(bytes, out int layers);
            if (!XnnPackModelPadding.IsActive) padded = null;
            using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                file.Write(padded ?? bytes);
            Console.Out.WriteLine(padded is null ? "unchanged" : $"padded {layers}");
            return 0;
        });
        return command;
    }
}
