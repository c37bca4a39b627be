using System.CommandLine;
using Spectre.Console;
using SymmetryLab.Engine;
using SymmetryLab.Lab;
using SymmetryLab.Numerics;
using SymmetryLab.Runs;

namespace SymmetryLab.Cli.Commands;

/// <summary><c>symlab train</c>: one run, printed as a table or as the SPEC.md JSON.</summary>
internal static class TrainCommand
{
    public static Command Create(Console2 io)
    {
        var data = new Option<string>("--data") { Description = "Built-in data set name or a CSV file", DefaultValueFactory = _ => "coffee" };
        var target = new Option<string?>("--target") { Description = "Target column: header name or 1-based index (default: the last)" };
        var layers = new Option<string?>("--layers") { Description = "Hidden and output widths, output last, e.g. 25,15,1" };
        var activation = new Option<string>("--activation") { Description = "Hidden activation: linear, sigmoid, tanh, relu, leaky_relu", DefaultValueFactory = _ => "sigmoid" };
        var outputActivation = new Option<string?>("--output-activation") { Description = "Output activation (default from the loss: bce sigmoid, ce softmax, mse linear)" };
        var loss = new Option<string?>("--loss") { Description = "bce, ce or mse (default from the target)" };
        var init = new Option<string>("--init") { Description = "Weight scheme: zeros, constant:C, uniform:A:B, normal:MEAN:STD, glorot-uniform, glorot-normal, he-uniform, he-normal, lecun-normal, orthogonal, torch-default, keras-default, symmetric:SCHEME", DefaultValueFactory = _ => "glorot-uniform" };
        var biasInit = new Option<string>("--bias-init") { Description = "Bias scheme (same names)", DefaultValueFactory = _ => "zeros" };
        var model = new Option<string?>("--model") { Description = "Start from the exact weights of this model file" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random draw", DefaultValueFactory = _ => 1 };
        var optimizer = new Option<string>("--optimizer") { Description = "gd, sgd, momentum or adam", DefaultValueFactory = _ => "adam" };
        var lr = new Option<double?>("--lr") { Description = "Learning rate (default 0.001 for adam, 0.01 otherwise)" };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the data", DefaultValueFactory = _ => 20 };
        var batch = new Option<string?>("--batch") { Description = "Minibatch size or 'full' (default 32; full for gd)" };
        var l2 = new Option<double>("--l2") { Description = "L2 penalty X/(2m) sum W^2" };
        var dropout = new Option<double>("--dropout") { Description = "Inverted dropout probability on hidden units" };
        var normalize = new Option<string>("--normalize") { Description = "none or zscore (learned on the training split, stored in the model)", DefaultValueFactory = _ => "none" };
        var precision = new Option<string>("--precision") { Description = "float32 or float64", DefaultValueFactory = _ => "float32" };
        var threads = new Option<int>("--threads") { Description = "Threads (results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var test = new Option<string?>("--test") { Description = "Held-out test file, or a fraction of the data (seeded split)" };
        var output = new Option<string?>("--out") { Description = "Folder for initial.json, model.json, history.csv, symmetry.json, run.json" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (SPEC.md) and nothing else" };
        var perturb = new Option<string?>("--perturb") { Description = "EPS[:LAYER]: add EPS to W_LAYER[1,1] after initialization (LAYER default 1), to see how little breaks a symmetry" };
        var record = new Option<string?>("--record") { Description = "weights[:EVERY]: write trajectory.csv (step, parameter, value, gradient) every EVERY steps; needs --out" };

        var command = new Command("train", "Train a network and report what its units did")
        {
            data, target, layers, activation, outputActivation, loss, init, biasInit, model, seed, optimizer, lr, epochs,
            batch, l2, dropout, normalize, precision, threads, test, output, json, perturb, record,
        };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            var settings = new RunSettings
            {
                Data = p.GetValue(data)!,
                Target = p.GetValue(target),
                Layers = p.GetValue(layers) is { } w ? Parse.Widths(w) : null,
                Activation = Parse.Activation(p.GetValue(activation)!, "--activation"),
                OutputActivation = p.GetValue(outputActivation) is { } oa ? Parse.Activation(oa, "--output-activation") : null,
                Loss = p.GetValue(loss) is { } ls ? Parse.Loss(ls) : null,
                Init = p.GetValue(init)!,
                BiasInit = p.GetValue(biasInit)!,
                Model = p.GetValue(model),
                Seed = p.GetValue(seed),
                Optimizer = p.GetValue(optimizer)!,
                LearningRate = p.GetValue(lr),
                Epochs = p.GetValue(epochs),
                Batch = p.GetValue(batch) is { } b ? Parse.Batch(b) : null,
                L2 = p.GetValue(l2),
                Dropout = p.GetValue(dropout),
                Normalize = p.GetValue(normalize)!,
                Precision = p.GetValue(precision)!,
                Threads = p.GetValue(threads),
                Test = p.GetValue(test),
                Out = p.GetValue(output),
                Perturb = p.GetValue(perturb) is { } pe ? Perturbation.Parse(pe) : null,
                RecordEvery = p.GetValue(record) is { } re ? TrajectoryRecorder<double>.ParseSpec(re) : null,
            };
            bool asJson = p.GetValue(json);
            RunResult result;
            try
            {
                result = asJson ? TrainingRun.Execute(settings) : WithProgress(io, settings);
            }
            catch (TrainingDivergedException e)
            {
                var d = Diagnosis.Of(e);
                io.Err.WriteLine($"symlab: diagnosis: {d.Kind}: {d.Explanation}");
                throw;
            }
            if (asJson) PrintJson(io, result);
            else PrintTable(io, result);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static RunResult WithProgress(Console2 io, RunSettings settings)
    {
        if (!io.Interactive)
        {
            int every = Math.Max(1, settings.Epochs / 10);
            return TrainingRun.Execute(settings, (r, total) =>
            {
                if (r.Epoch % every == 0 || r.Epoch == total || r.Epoch == 1)
                    io.Out.WriteLine($"epoch {r.Epoch}/{total}  loss {r.Loss:G6}{(r.Accuracy is { } a ? $"  accuracy {a:F4}" : "")}{(r.TestAccuracy is { } t ? $"  test accuracy {t:F4}" : "")}");
            });
        }
        RunResult? result = null;
        Terminal.For(io).Progress().AutoClear(false).Start(ctx =>
        {
            var task = ctx.AddTask("training", maxValue: settings.Epochs);
            result = TrainingRun.Execute(settings, (r, _) =>
            {
                task.Value = r.Epoch;
                task.Description = $"epoch {r.Epoch} loss {r.Loss:G4}";
            });
        });
        return result!;
    }

    private static void PrintTable(Console2 io, RunResult r)
    {
        var console = Terminal.For(io);
        io.Out.WriteLine($"network {r.Shape}, {r.Precision}, loss {r.LossName}, {r.Optimizer} lr {r.LearningRate}, batch {r.BatchSize}, init {r.Init}");
        io.Out.WriteLine($"seed {r.Seed} ({Rng.Algorithm}), {r.Epochs} epochs, {r.Steps} steps");
        if (r.Perturbation is not null) io.Out.WriteLine($"perturbation: {r.Perturbation}");
        var table = Terminal.Table("layer", "units", "distinct", "groups of identical units", "symmetry", "closest distinct units");
        for (int l = 0; l < r.Layers.Count; l++)
        {
            var g = r.Layers[l];
            double? gap = r.MinDistanceHistory.Count > 0 ? r.MinDistanceHistory[^1][l] : null;
            table.AddCells(g.Layer, g.Units, g.Distinct, g.Distinct == g.Units ? "all different" : string.Join(" ", g.Groups.Where(x => x.Length > 1).Select(x => $"{{{string.Join(",", x)}}}")),
                RunFolder.SymmetryStory(g, r.DistinctAtStart[l], r.BrokeAtStep[l]), gap is { } d ? $"distance {d:G4}" : "-");
        }
        console.Write(table);
        io.Out.WriteLine($"loss {r.Loss:G6}{(r.Accuracy is { } a ? $", accuracy {a:F4}" : "")}{(r.TestLoss is { } tl ? $", test loss {tl:G6}" : "")}{(r.TestAccuracy is { } ta ? $", test accuracy {ta:F4}" : "")}");
        io.Out.WriteLine($"diagnosis: {r.Diagnosis.Kind}: {r.Diagnosis.Explanation}");
        if (r.Out is not null) io.Out.WriteLine($"wrote {r.Out}/model.json, initial.json, history.csv, symmetry.json, run.json{(r.TrajectoryRows is { } n ? $", trajectory.csv ({n} rows)" : "")}");
    }

    private static void PrintJson(Console2 io, RunResult r) => JsonOut.Write(io.Out, w =>
    {
        w.WriteStartObject();
        w.NumberOrNull("loss", r.Loss);
        w.NumberOrNull("accuracy", r.Accuracy);
        w.NumberOrNull("testLoss", r.TestLoss);
        w.NumberOrNull("testAccuracy", r.TestAccuracy);
        w.WriteNumber("epochs", r.Epochs);
        w.WriteNumber("steps", r.Steps);
        w.WriteNumber("seed", r.Seed);
        w.WriteString("rng", Rng.Algorithm);
        w.WriteString("precision", r.Precision);
        w.WriteString("network", r.Shape);
        w.WriteStartArray("layers");
        foreach (var g in r.Layers)
        {
            w.WriteStartObject();
            w.WriteNumber("layer", g.Layer);
            w.WriteNumber("units", g.Units);
            w.WriteNumber("distinct", g.Distinct);
            w.WriteNumber("distinctAtStart", r.DistinctAtStart[g.Layer - 1]);
            if (r.BrokeAtStep[g.Layer - 1] is { } step) w.WriteNumber("brokeAtStep", step); else w.WriteNull("brokeAtStep");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("diagnosis", r.Diagnosis.Kind);
        w.WriteString("explanation", r.Diagnosis.Explanation);
        if (r.Out is null) w.WriteNull("out"); else w.WriteString("out", r.Out);
        w.WriteEndObject();
    });
}
