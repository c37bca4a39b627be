using System.CommandLine;
using Spectre.Console;
using SymmetryLab.Cli.Answers;
using SymmetryLab.Engine;
using SymmetryLab.Lab;
using SymmetryLab.Numerics;
using SymmetryLab.Runs;
using SymmetryLab.Serialization;

namespace SymmetryLab.Cli.Commands;

/// <summary><c>symlab train</c>: one run, printed as a table or as the SPEC.md JSON.</summary>
internal static class TrainCommand
{
    public static Command Create(CommandIO io)
    {
        var run = new RunOptions();
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random draw", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Threads (results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string?>("--out") { Description = "Folder for initial.json, model.json, history.csv, symmetry.json, run.json" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (SPEC.md) and nothing else" };
        var perturb = new Option<string?>("--perturb") { Description = "EPS[:LAYER]: add EPS to W_LAYER[1,1] after initialization (LAYER default 1), to see how little breaks a symmetry" };
        var record = new Option<string?>("--record") { Description = "weights[:EVERY]: write trajectory.csv (step, parameter, value, gradient) every EVERY steps; needs --out" };
        var report = new Option<bool>("--report") { Description = "Also write the run's report, DIR/report.html with its PNGs (as 'symlab report DIR'); needs --out" };

        var command = new Command("train", "Train a network and report what its units did");
        foreach (var option in run.BeforeSeed.Append(seed).Concat(run.AfterSeed).Append(threads).Append(run.Test).Append(run.SplitSeed).Append(output).Append(json).Append(perturb).Append(record).Append(report))
            command.Options.Add(option);
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            var settings = run.Settings(p) with
            {
                Seed = p.GetValue(seed),
                Threads = p.GetValue(threads),
                Out = p.GetValue(output),
                Perturb = p.GetValue(perturb) is { } pe ? FlagSyntax.Perturb(pe) : null,
                RecordEvery = p.GetValue(record) is { } re ? FlagSyntax.Record(re) : null,
            };
            bool asJson = p.GetValue(json);
            if (p.GetValue(report) && settings.Out is null) throw new UsageException("--report: needs --out DIR (the report is written there)");
            if (settings.Model is { } file && p.GetValue(run.Precision) is null && settings.ModelText is { } text && !ModelFile.RecordsPrecision(text))
                io.Err.WriteLine($"symlab: note: {file} does not say its precision; training in float64, which keeps every digit it holds (--precision float32 to change)");
            RunResult result;
            try
            {
                result = asJson ? TrainingRun.Execute(settings) : WithProgress(io, settings);
            }
            catch (TrainingDivergedException e)
            {
                var d = Diagnosis.Of(e);
                io.Err.WriteLine($"symlab: diagnosis: {d.Kind}: {d.Say(FlagMessages.Words)}");
                throw;
            }
            string? reportPath = p.GetValue(report) ? ReportCommand.Write(settings.Out!, null, "--report") : null;
            if (asJson) PrintJson(io, result, reportPath);
            else
            {
                PrintTable(io, result);
                if (reportPath is not null) io.Out.WriteLine($"Report: {reportPath} (figures also as PNG files beside it)");
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static RunResult WithProgress(CommandIO io, RunSettings settings)
    {
        if (!io.Interactive)
        {
            int every = Math.Max(1, settings.Epochs / 10);
            return TrainingRun.Execute(settings, (r, total) =>
            {
                if (r.Epoch % every == 0 || r.Epoch == total || r.Epoch == 1)
                    io.Out.WriteLine($"epoch {r.Epoch}/{total}  mean loss {r.Loss:G6}{(r.Accuracy is { } a ? $"  mean accuracy {a:F4}" : "")}{(r.TestAccuracy is { } t ? $"  test accuracy {t:F4}" : "")}");
            });
        }
        RunResult? result = null;
        Terminal.For(io).Progress().AutoClear(false).Start(ctx =>
        {
            var task = ctx.AddTask("training", maxValue: settings.Epochs);
            result = TrainingRun.Execute(settings, (r, _) =>
            {
                task.Value = r.Epoch;
                task.Description = $"epoch {r.Epoch} mean loss {r.Loss:G4}";
            });
        });
        return result!;
    }

    private static void PrintTable(CommandIO io, RunResult r)
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
            table.AddCells(g.Layer, g.Units, g.Distinct, g.Units == 1 ? "one unit" : g.Distinct == g.Units ? "all different" : string.Join(" ", g.Groups.Where(x => x.Length > 1).Select(Terminal.Group)),
                RunFolder.SymmetryStory(g, r.DistinctAtStart[l], r.BrokeAtStep[l], r.Perturbation), gap is { } d ? $"distance {d:G4}" : "-");
        }
        console.Write(table);
        io.Out.WriteLine(FinalFigures(r));
        io.Out.WriteLine($"diagnosis: {r.Diagnosis.Kind}: {r.Diagnosis.Explanation}");
        if (r.Out is not null) io.Out.WriteLine($"wrote {r.Out}/model.json, initial.json, history.csv, symmetry.json, run.json{(r.TrajectoryRows is { } n ? $", trajectory.csv ({n} rows)" : "")}");
    }

    /// <summary>
    /// The final model's figures, each accuracy beside the majority-class baseline and a regression's loss
    /// beside the mse of always answering the training targets' mean, and the last epoch's mean apart.
    /// </summary>
    internal static string FinalFigures(RunResult r)
    {
        string Baseline(int? cls, double? share) => cls is { } c && share is { } s ? $", baseline (always class {c}) {s:F4}" : "";
        string MeanBaseline(double? mse) => r.MeanBaseline is { } m && mse is { } v ? $", baseline (always the training mean {m.Mean:G6}) {v:G6}" : "";
        var text = new System.Text.StringBuilder($"final model on the training data: loss {r.Loss:G6}{MeanBaseline(r.MeanBaseline?.Train)}");
        if (r.Accuracy is { } a) text.Append($", accuracy {a:F4}{Baseline(r.Baseline?.Class, r.Baseline?.Train)}");
        if (r.TestLoss is { } tl) text.Append($"; on the test data: loss {tl:G6}{MeanBaseline(r.MeanBaseline?.Test)}");
        if (r.TestAccuracy is { } ta) text.Append($", accuracy {ta:F4}{Baseline(r.Baseline?.TestClass, r.Baseline?.Test)}");
        if (r.LastEpochMeanLoss is { } mean) text.Append($"\n(the last epoch's mean batch loss, each batch's taken before its step: {mean:G6})");
        return text.ToString();
    }

    private static void PrintJson(CommandIO io, RunResult r, string? report) => JsonOut.Write(io.Out,
        new TrainAnswer(r.Loss, r.LastEpochMeanLoss, r.Accuracy, r.Baseline?.Train, r.TestLoss, r.TestAccuracy, r.Baseline?.Test, r.Baseline?.Class,
            r.MeanBaseline?.Train, r.MeanBaseline?.Test, r.Epochs, r.Steps, r.Seed, Rng.Algorithm, r.Precision, r.Shape,
            [.. r.Layers.Select(g => new TrainLayerAnswer(g.Layer, g.Units, g.Distinct, r.DistinctAtStart[g.Layer - 1], r.BrokeAtStep[g.Layer - 1]))],
            r.Diagnosis.Kind, r.Diagnosis.Explanation, r.Out, report),
        CliJsonContext.Default.TrainAnswer);
}
