using System.CommandLine;
using SymmetryLab.Interop;

namespace SymmetryLab.Cli.Commands;

/// <summary><c>symlab import FILE.onnx --out FILE.json</c>: a dense ONNX graph as a symlab model file.</summary>
internal static class ImportCommand
{
    public static Command Create(CommandIO io)
    {
        var fileArg = new Argument<string>("FILE") { Description = "An ONNX file of a dense network (from torch.onnx.export, tf2onnx or symlab export)" };
        var output = new Option<string>("--out") { Description = "The model file to write (model.json)", Required = true };
        var command = new Command("import", "Read a dense network from an ONNX file into a model file") { fileArg, output };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            string path = p.GetValue(fileArg)!;
            string outPath = OutputFile.Check(p.GetValue(output)!, "--out");
            var model = OnnxImport.Load(path); // reads and checks everything before anything is written
            Serialization.AtomicFile.WriteAllText(outPath, model.ToModelJson());
            var net = model.Network;
            string producer = string.Join(" ", model.Meta.Where(m => m.Key is "producer" or "producerVersion").Select(m => m.Value));
            io.Out.WriteLine($"{path}{(producer.Length > 0 ? $" ({producer})" : "")} -> {outPath}: network {net.Shape} " +
                $"({string.Join(", ", net.Layers.Select(l => Engine.Activations.ActivationNames.Name(l.Activation)))}), {model.Precision}" +
                $"{(net.Normalization is null ? "" : ", with the input's normalization")}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
