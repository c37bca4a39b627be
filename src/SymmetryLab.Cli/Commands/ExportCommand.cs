using System.CommandLine;
using SymmetryLab.Interop;

namespace SymmetryLab.Cli.Commands;

/// <summary><c>symlab export MODEL --onnx FILE</c>: the model as an ONNX graph that computes what predict computes.</summary>
internal static class ExportCommand
{
    public static Command Create(CommandIO io)
    {
        var modelArg = new Argument<string>("MODEL") { Description = "A model file (model.json), or an ONNX file to rewrite in symlab's form" };
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write (opset 13, the model's precision)", Required = true };
        var command = new Command("export", "Write a model as an ONNX graph") { modelArg, onnx };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            string path = p.GetValue(modelArg)!;
            string output = OutputFile.Check(p.GetValue(onnx)!, "--onnx");
            var model = SavedModel.Load(path);
            // A model in a run folder: record the seed and generator of the run that trained it.
            var run = SavedModel.IsOnnx(path) ? null : RunProvenance.Beside(path);
            var bytes = model.ToOnnx(run);
            Serialization.AtomicFile.WriteAllBytes(output, bytes);
            io.Out.WriteLine($"{path} -> {output}: network {model.Network.Shape} ({string.Join(", ", model.Network.Layers.Select(l => Engine.Activations.ActivationNames.Name(l.Activation)))}), " +
                $"{model.Precision}, ONNX opset {OnnxExport.Opset}{(model.Network.Normalization is null ? "" : ", normalization as Sub/Div")}" +
                $"{(run is null ? "" : $", seed {run.Seed}")}, {bytes.Length} bytes");
            return ExitCodes.Success;
        }));
        return command;
    }
}
