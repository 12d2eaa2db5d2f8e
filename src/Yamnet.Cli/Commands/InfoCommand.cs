using System.CommandLine;
using System.Globalization;
using Yamnet.TfLite;

namespace Yamnet.Cli.Commands;

/// <summary><c>yamnet info [&lt;model&gt;]</c>: what the runtime and a model are, without classifying anything.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var modelArg = new Argument<string?>("model") { Description = "The model to describe (default: found like classify's --model).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("info", "Show the TFLite version and a model's tensors, metadata and labels.");
        command.Arguments.Add(modelArg);
        common.AddTo(command);
        command.SetAction(parse =>
        {
            var o = Console.Out;
            using var classifier = common.LoadClassifier(parse, parse.GetValue(modelArg));
            var model = classifier.Model;
            o.WriteLine($"TFLite version: {TfLiteRuntime.Version}");
            o.WriteLine($"Model: {Path.GetFullPath(model.Source)}");
            o.WriteLine($"  size: {model.ByteSize} bytes");
            o.WriteLine($"  sha256: {model.Sha256}");
            o.WriteLine($"  known model: {KnownModels.NameOf(model.Sha256) ?? "(not a known model)"}");
            using (var interpreter = TfLiteInterpreter.Create(model, new TfLiteInterpreterOptions { Delegate = DelegateKind.None }))
            {
                o.WriteLine($"Inputs ({interpreter.InputCount}):");
                for (int i = 0; i < interpreter.InputCount; i++) o.WriteLine("  " + Describe(i, interpreter.GetInputInfo(i)));
                o.WriteLine($"Outputs ({interpreter.OutputCount}):");
                for (int i = 0; i < interpreter.OutputCount; i++) o.WriteLine("  " + Describe(i, interpreter.GetOutputInfo(i)));
            }
            if (model.Metadata is { } m)
            {
                o.WriteLine("Metadata:");
                o.WriteLine($"  name: {m.Name ?? "(none)"}");
                o.WriteLine($"  sample rate: {(m.SampleRate is { } r ? r.ToString(CultureInfo.InvariantCulture) + " Hz" : "(not stated)")}");
                o.WriteLine($"  channels: {(m.Channels is { } c ? c.ToString(CultureInfo.InvariantCulture) : "(not stated)")}");
                o.WriteLine($"  label file: {m.LabelFileName ?? "(none)"}");
            }
            else
            {
                o.WriteLine("Metadata: none");
            }
            o.WriteLine($"Audio input: {classifier.WindowLength} samples at {classifier.SampleRate} Hz ({classifier.SampleRateSource}), {classifier.WindowLength / (double)classifier.SampleRate:0.###} s per window");
            o.WriteLine($"Labels: {classifier.Labels.Count} ({classifier.Labels.Source}){(classifier.Labels.HasMids ? ", with mids" : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Describe(int index, TensorInfo t)
    {
        string q = t.Quantization.Scale == 0 ? "none" : $"scale {t.Quantization.Scale.ToString("R", CultureInfo.InvariantCulture)}, zero point {t.Quantization.ZeroPoint}";
        return $"{index}: {t.Name} {t.Type} [{string.Join(",", t.Shape)}] ({t.ByteSize} bytes), quantization: {q}";
    }
}
