using System.CommandLine;
using SymmetryLab.Cli.Answers;
using SymmetryLab.Data;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;
using SymmetryLab.Serialization;

namespace SymmetryLab.Cli.Commands;

/// <summary><c>symlab gradcheck MODEL --data D</c>: backpropagation against finite differences, in float64.</summary>
internal static class GradcheckCommand
{
    /// <summary>Above this the check reports failure (exit 1).</summary>
    public const double Threshold = 1e-5;

    /// <summary>Parameters compared at most (evenly spaced over a larger model).</summary>
    private const int Limit = 5000;

    /// <summary>Seconds between progress lines on standard error, the first after as long: a small model's check says nothing.</summary>
    private const double ProgressEvery = 5;

    /// <summary>
    /// A line on standard error every few seconds while the parameters are compared, with the time left
    /// at the pace so far: a wide model over many rows takes minutes to hours, and a silent terminal
    /// looks hung. The pace is of the work (multiply-adds), not of parameters: a first layer's parameter
    /// costs far more than a later layer's, and the first ones compared are the first layer's. It is taken
    /// over the last half minute, so that it follows the later layers' own pace when they come.
    /// </summary>
    private static Action<int, int, double> Progress(CommandIO io)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double next = ProgressEvery;
        var recent = new Queue<(double Seconds, double Share)>();
        return (done, total, share) =>
        {
            double seconds = clock.Elapsed.TotalSeconds;
            // The pace from the first parameter on: the gradients and the noise probes before it are not per parameter.
            if (done == 0) recent.Enqueue((seconds, share));
            if (seconds < next || done == 0 || recent.Count == 0) return;
            next = seconds + ProgressEvery;
            var (since, from) = recent.Peek();
            recent.Enqueue((seconds, share));
            while (recent.Count > Window) recent.Dequeue();
            if (share <= from) return;
            double left = (seconds - since) / (share - from) * (1 - share);
            string eta = left >= 3600 ? $"{left / 3600:F1} h" : left >= 60 ? $"{left / 60:F0} min" : $"{left:F0} s";
            io.Err.WriteLine($"gradcheck: {done:N0} of {total:N0} parameters compared ({100.0 * done / total:F0}%), about {eta} left at this pace");
        };
    }

    /// <summary>Progress lines the pace is taken over: the last half minute.</summary>
    private const int Window = 6;

    public static Command Create(CommandIO io)
    {
        var modelArg = new Argument<string>("MODEL") { Description = "A model file" };
        var data = new Option<string>("--data") { Description = "Data to compute the cost on", Required = true };
        var target = new Option<string?>("--target") { Description = "Target column" };
        var loss = new Option<string?>("--loss") { Description = "bce, ce or mse (default from the output activation)" };
        var l2 = new Option<double>("--l2") { Description = "L2 penalty included in the cost" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("gradcheck", "Compare backpropagation's gradients with central finite differences (every parameter, or 5,000 evenly spaced ones of a larger model)") { modelArg, data, target, loss, l2, json };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            var network = ModelFile.Load<double>(p.GetValue(modelArg)!);
            var (train, _) = DataSource.Load(p.GetValue(data)!, p.GetValue(target));
            var chosen = JudgedCost.Choose(network, train, p.GetValue(data)!, p.GetValue(modelArg)!, p.GetValue(loss), p.GetValue(l2));
            var result = GradientCheck.Run(network, train, chosen, p.GetValue(l2), Limit, Threshold, Progress(io));
            bool passed = result.Passed(Threshold);
            if (p.GetValue(json))
            {
                JsonOut.Write(io.Out,
                    new GradcheckAnswer(result.MaxRelativeError, result.Parameters, result.Judged, result.Worst?.ToString(),
                        result.Worst is null ? null : result.Analytic, result.Worst is null ? null : result.Numeric, GradientCheck.Step, result.Cost, result.NoiseFloor,
                        result.TooSmall, result.MaxTooSmallDifference, result.BeyondNoise, Threshold, passed,
                        // left out: a stencil step crossed a relu kink (z = 0)
                        [.. result.AtKinks.Select(k => k.ToString())]),
                    CliJsonContext.Default.GradcheckAnswer);
            }
            else
            {
                io.Out.WriteLine($"checked {result.Parameters} parameters against central differences (h = {GradientCheck.Step:G}), loss {chosen.Name()}, {train.Rows} rows, J = {result.Cost:G6}");
                io.Out.WriteLine($"finite differences of this J carry rounding noise of up to about +-{result.NoiseFloor:G2}, so they judge a gradient to {Threshold:G} relative only when it is larger than {result.NoiseFloor / Threshold:G2}");
                if (result.Worst is { } worst)
                    io.Out.WriteLine($"{result.Judged} judged: largest relative error |a - n| / max(|a|, |n|) = {result.MaxRelativeError:G3} at {worst}: backprop {result.Analytic:G10}, numeric {result.Numeric:G10}");
                else
                    io.Out.WriteLine("no gradient is large enough for finite differences to judge");
                if (result.TooSmall > 0)
                    io.Out.WriteLine(result.BeyondNoise == 0
                        ? $"{result.TooSmall} not judged: smaller than {result.NoiseFloor / Threshold:G2}; backprop and finite differences differ there by at most {result.MaxTooSmallDifference:G3} (at {result.WorstTooSmall}), within the noise, which is all they can say"
                        : $"{result.TooSmall} too small to judge relatively, but {result.BeyondNoise} of them differ by more than the noise (up to {result.MaxTooSmallDifference:G3} at {result.WorstTooSmall}): a real disagreement");
                if (result.AtKinks.Count > 0)
                    io.Out.WriteLine($"{result.AtKinks.Count} parameter{(result.AtKinks.Count == 1 ? "" : "s")} not compared ({string.Join(", ", result.AtKinks.Take(5))}{(result.AtKinks.Count > 5 ? ", ..." : "")}): a finite-difference step moved a relu unit's z across 0, a kink where the cost has no derivative for the stencil to estimate");
                string scope = result.TooSmall == 0 ? "" : $" for the {result.Judged} judged gradients; the {result.TooSmall} others are only known to agree within the noise";
                io.Out.WriteLine(passed ? $"ok{scope}" : $"FAILED: {(result.BeyondNoise > 0 ? "a difference beyond the finite differences' noise" : $"above {Threshold:G}")}");
            }
            return passed ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }
}
