using System.CommandLine;
using System.Numerics;
using SymmetryLab.Cli.Answers;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Serialization;

namespace SymmetryLab.Cli.Commands;

/// <summary><c>symlab predict MODEL (--data FILE | --input X1,X2,...)</c>: outputs per row, after the model's normalization.</summary>
internal static class PredictCommand
{
    public static Command Create(CommandIO io)
    {
        var modelArg = new Argument<string>("MODEL") { Description = "A model file (model.json)" };
        var data = new Option<string?>("--data") { Description = "CSV of inputs (with or without a target column) or a built-in set" };
        var input = new Option<string?>("--input") { Description = "One input row: X1,X2,..." };
        var target = new Option<string?>("--target") { Description = "The target column of --data (header name or 1-based index; default: the last column, when there is one more column than inputs)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("predict", "Run a model on inputs") { modelArg, data, input, target, json };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            string model = p.GetValue(modelArg)!;
            string? dataSpec = p.GetValue(data), inputText = p.GetValue(input);
            if ((dataSpec is null) == (inputText is null)) throw new UsageException("predict needs exactly one of --data FILE or --input X1,X2,...");
            if (inputText is not null && p.GetValue(target) is not null) throw new UsageException("--target goes with --data, not --input");
            string text = ModelFile.ReadText(model); // once: MODEL may be a pipe
            return ModelFile.PrecisionOf(text) == "float32"
                ? Run<float>(io, model, text, dataSpec, inputText, p.GetValue(target), p.GetValue(json))
                : Run<double>(io, model, text, dataSpec, inputText, p.GetValue(target), p.GetValue(json));
        }));
        return command;
    }

    private static int Run<T>(CommandIO io, string modelPath, string modelText, string? dataSpec, string? inputText, string? target, bool json) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = ModelFile.Parse<T>(modelText, modelPath);
        Dataset data;
        bool hasTargets;
        if (inputText is not null)
        {
            var x = Parse.Numbers(inputText, "--input");
            if (x.Length != network.Inputs) throw new UsageException($"--input: {x.Length} values, but {modelPath} takes {network.Inputs} inputs");
            data = new Dataset("input", x, [0], x.Length);
            hasTargets = false;
        }
        else
        {
            (data, hasTargets) = LoadRows(dataSpec!, target, ModelFile.TargetOf(modelText), network.Inputs);
        }

        var loss = LossFunctions.ForOutput(network.Output.Activation, network.Outputs);
        var outputs = new double[data.Rows * network.Outputs];
        double? cost = null, accuracy = null;
        var evaluator = new Evaluator<T>(network, hasTargets ? data : WithoutTargets(data), loss, threads: Environment.ProcessorCount);
        var (l, a) = evaluator.Evaluate(outputs);
        if (hasTargets) { cost = l; accuracy = a; }
        // A classifier's rows are labels whatever they look like alone (all of one class reads as continuous).
        var baseline = hasTargets && accuracy is not null ? Lab.MajorityBaseline.OfClasses(data, Math.Max(2, network.Outputs)) : null;
        // A regression's: always answering these rows' own mean (the best constant here, as the majority class is).
        var mean = hasTargets ? Lab.MeanBaseline.Of(data, null, loss) : null;

        int width = network.Outputs;
        int[]? classes = loss == Loss.Mse ? null : Metrics.Classes<double>(outputs, width);

        if (json)
        {
            JsonOut.Write(io.Out,
                new PredictAnswer([.. Enumerable.Range(0, data.Rows).Select(r => Enumerable.Range(0, width).Select(k => (double?)outputs[r * width + k]).ToArray())],
                    classes, cost, accuracy, baseline?.Train, mean?.Train),
                CliJsonContext.Default.PredictAnswer);
            return ExitCodes.Success;
        }
        for (int r = 0; r < data.Rows; r++)
        {
            var row = string.Join(", ", Enumerable.Range(0, width).Select(k => outputs[r * width + k].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)));
            io.Out.WriteLine(classes is null ? row : $"{row}  -> class {classes[r]}");
        }
        if (cost is not null)
            // The loss is the one the output activation implies (a model file does not say what it was trained
            // with): named, so that an mse-trained sigmoid model's bce figure is not read as its training loss.
            io.Out.WriteLine($"{loss.Name()} loss {cost:G6}{(mean is { } m ? $", baseline (always the rows' mean {m.Mean:G6}) {m.Train:G6}" : "")}"
                + $"{(accuracy is { } acc ? $", accuracy {acc:F4}" : "")}{(baseline is { } b ? $", baseline (always class {b.Class}) {b.Train:F4}" : "")} on {data.Rows} rows");
        return ExitCodes.Success;
    }

    /// <summary>
    /// A file whose columns are exactly the model's inputs has no targets; one more column is the target:
    /// the one --target names, else the one the model was trained on (meta.target) when the file's
    /// header has it, else the last.
    /// </summary>
    internal static (Dataset Data, bool HasTargets) LoadRows(string spec, string? target, string? recorded, int inputs)
    {
        // Read once (the data may be a pipe): the recorded target is taken when the header has it.
        var (data, _) = DataSource.Load(spec, target, recorded);
        string? chosen = target ?? (recorded is not null && data.TargetName == recorded ? recorded : null);
        if (data.Features == inputs) return (data, true);
        if (chosen is not null)
            throw new DataException($"{spec}: {data.Features} columns besides the target {chosen}, but the model takes {inputs} inputs");
        if (data.Features + 1 == inputs && (spec.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || spec.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase)))
        {
            // Re-read with every column as a feature: the "target" was really the last input.
            var all = new double[data.Rows * inputs];
            for (int r = 0; r < data.Rows; r++)
            {
                data.Row(r).CopyTo(all.AsSpan(r * inputs));
                all[r * inputs + inputs - 1] = data.Y[r];
            }
            return (new Dataset(data.Name, all, new double[data.Rows], inputs), false);
        }
        throw new DataException($"{spec}: {data.Features + 1} columns, but the model takes {inputs} inputs (give {inputs} columns, or {inputs + 1} with the target last or named by --target)");
    }

    private static Dataset WithoutTargets(Dataset d) => new(d.Name, d.X, new double[d.Rows], d.Features);
}
