using System.CommandLine;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Runs;
using SymmetryLab.Serialization;

namespace SymmetryLab.Cli.Commands;

/// <summary>
/// <c>symlab demo</c>: the question of the lessons answered on real runs of the coffee-roasting net.
/// Every number printed is measured on the run, not written in advance.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(Console2 io)
    {
        var output = new Option<string>("--out") { Description = "Folder for the runs", DefaultValueFactory = _ => Path.Combine("runs", "demo") };
        var command = new Command("demo", "Why do the units of a layer end up different? Answered on real runs") { output };
        command.SetAction(p => SymlabCli.Guard(io, () => Run(io, p.GetValue(output)!)));
        return command;
    }

    private static RunSettings Coffee(string name, string dir, string init, int[] layers, string activation = "sigmoid") => new()
    {
        Data = "coffee",
        Layers = layers,
        Activation = ActivationNames.TryParse(activation, out var a) ? a : Activation.Sigmoid,
        Init = init,
        Normalize = "zscore",
        Optimizer = "adam",
        LearningRate = 0.01,
        Epochs = 200,
        Seed = 1,
        Out = Path.Combine(dir, name),
    };

    private static int Run(Console2 io, string dir)
    {
        io.Out.WriteLine("Question: if every unit of a layer gets the same inputs and the same activation, how do the units end up with different weights?");
        io.Out.WriteLine("Setup: coffee roasting data (200 x 2, z-scored), adam lr 0.01, batch 32, 200 epochs, seed 1.");
        io.Out.WriteLine();

        var rows = new List<(string Name, RunResult Result)>();
        RunResult Train(string name, RunSettings s)
        {
            var r = TrainingRun.Execute(s);
            rows.Add((name, r));
            return r;
        }

        var zeros = Train("2-3-1 sigmoid, all weights 0", Coffee("zeros", dir, "zeros", [3, 1]));
        var random = Train("2-3-1 sigmoid, glorot-uniform", Coffee("random", dir, "glorot-uniform", [3, 1]));
        var symmetric = Train("2-3-1 sigmoid, symmetric:glorot-uniform", Coffee("symmetric", dir, "symmetric:glorot-uniform", [3, 1]));
        var relu = Train("2-3-1 relu, all weights 0", Coffee("relu-zeros", dir, "zeros", [3, 1], "relu"));
        var logistic = Train("logistic regression (no hidden layer), 0", Coffee("logistic", dir, "zeros", [1]));

        // Lesson 001's tied net: w1 = w3, w2 = w4 and w5 = w6 (and again with only w5 != w6).
        var tied = Train("2-2-1 tied (w1=w3, w2=w4, w5=w6)", Coffee("tied", dir, "zeros", [2, 1]) with { Model = WriteTied(dir, "tied-start.json", 0.5, 0.5) });
        var untied = Train("2-2-1 tied but w5 != w6", Coffee("untied", dir, "zeros", [2, 1]) with { Model = WriteTied(dir, "untied-start.json", 0.5, 0.6) });

        var table = Terminal.Table("run", "distinct units in layer 1", "accuracy", "loss", "diagnosis");
        foreach (var (name, r) in rows)
            table.AddCells(name, $"{r.Layers[0].Distinct} of {r.Layers[0].Units}", r.Accuracy, r.Loss, r.Diagnosis.Kind);
        Terminal.For(io).Write(table);

        io.Out.WriteLine();
        io.Out.WriteLine("Answer, from these runs:");
        io.Out.WriteLine($"- Started from zeros, the 3 sigmoid units got identical gradients at every step: after {zeros.Steps} steps layer 1 still has {zeros.Layers[0].Distinct} distinct unit (accuracy {zeros.Accuracy:P1}).");
        io.Out.WriteLine($"- Started from random weights, they differ from step 0 and learn different features: {random.Layers[0].Distinct} distinct units, accuracy {random.Accuracy:P1}.");
        io.Out.WriteLine($"- Random but identical (symmetric) units stay identical too: {symmetric.Layers[0].Distinct} distinct. Randomness alone is not enough; difference is.");
        io.Out.WriteLine($"- ReLU units from zeros get no gradient at all ({relu.Diagnosis.Kind}): {relu.Diagnosis.Explanation}");
        io.Out.WriteLine($"- Logistic regression has no hidden units to be symmetric, so it learns from zeros: loss {Math.Log(2):F4} -> {logistic.Loss:F4}.");
        io.Out.WriteLine($"- Lesson 001's tied net (w1=w3, w2=w4, w5=w6) ends with {tied.Layers[0].Distinct} distinct unit; make only w5 != w6 and it ends with {untied.Layers[0].Distinct}: dJ/dw1 and dJ/dw3 differ exactly when w5 and w6 do.");
        io.Out.WriteLine();
        io.Out.WriteLine($"Runs written to {dir}/ (each with model.json, initial.json, history.csv, symmetry.json, run.json).");
        return ExitCodes.Success;
    }

    /// <summary>A 2-2-1 sigmoid start with both hidden units equal (w1 = w3, w2 = w4) and output weights w5, w6.</summary>
    private static string WriteTied(string dir, string file, double w5, double w6)
    {
        var net = new Network<double>(2, [(2, Activation.Sigmoid), (1, Activation.Sigmoid)]);
        double[] hidden = [0.2, -0.3, 0.2, -0.3];
        hidden.CopyTo(net.Layers[0].Weights, 0);
        net.Layers[1].Weights[0] = w5;
        net.Layers[1].Weights[1] = w6;
        string path = Path.Combine(dir, file);
        ModelFile.Save(net, path);
        return path;
    }
}
