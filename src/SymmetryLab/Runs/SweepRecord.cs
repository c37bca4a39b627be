using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Runs.Documents;
using SymmetryLab.Serialization;

namespace SymmetryLab.Runs;

/// <summary>
/// What one seed of a sweep ended with: the final model's cost and accuracy on the training rows (as
/// <c>predict</c> computes them; the L2 penalty added when training had one) and on the held-out rows,
/// each layer's distinct units at the start and the step at which its identical units first split
/// (null: never, or all distinct from the start), and the final parameters (layer by layer,
/// weights then biases, exact in the run's precision). A seed whose training diverged has only the
/// message that says where.
/// </summary>
internal sealed record SweepRecord(ulong Seed, double Loss, double? Accuracy, double? TestLoss, double? TestAccuracy, int[] DistinctAtStart, long?[] BrokeAtStep, double[] Parameters, string? Diverged = null)
{
    public static SweepRecord Divergence(ulong seed, string message) => new(seed, double.NaN, null, null, null, [], [], [], message);

    public bool Finished => Diverged is null;

    /// <summary>One line of JSON (no line break inside); parameters in the shortest text that gives their bits back in <paramref name="precision"/>.</summary>
    public string ToJsonLine(string precision)
    {
        var context = RunJsonContext.Default;
        if (Diverged is not null) return JsonText.Line(new DivergedLineDocument(Seed, Diverged), context.DivergedLineDocument);
        int size = 256 + Parameters.Length * 12;
        return precision == "float32"
            ? JsonText.Line(new FinishedLineDocument<float>(Seed, Loss, Accuracy, TestLoss, TestAccuracy, DistinctAtStart, BrokeAtStep, [.. Parameters.Select(p => (float)p)]), context.FinishedLine32, size)
            : JsonText.Line(new FinishedLineDocument<double>(Seed, Loss, Accuracy, TestLoss, TestAccuracy, DistinctAtStart, BrokeAtStep, Parameters), context.FinishedLine64, size);
    }

    /// <summary>Reads a line written by <see cref="ToJsonLine"/> (in the same <paramref name="precision"/>); <paramref name="where"/> names the file and line for errors.</summary>
    public static SweepRecord Parse(string line, string where, string precision, int parameters, int layers)
    {
        try
        {
            // A float32 parameter's text is the shortest that gives back its float bits, not a double's: read it as a float.
            var d = precision == "float32"
                ? Widen(JsonSerializer.Deserialize(line, RunJsonContext.Default.SweepLine32))
                : JsonSerializer.Deserialize(line, RunJsonContext.Default.SweepLine64) ?? throw new FormatException("null");
            if (d.Diverged is { } message) return Divergence(d.Seed, message);
            if (d.Loss is not { } loss) throw new FormatException("no loss");
            if (d.Parameters is not { } values || values.Length != parameters) throw new FormatException($"{d.Parameters?.Length ?? 0} parameters, expected {parameters}");
            if (d.Broke is not { } broke || d.Distinct is not { } distinct || broke.Length != layers || distinct.Length != layers)
                throw new FormatException($"{d.Broke?.Length ?? 0} and {d.Distinct?.Length ?? 0} layers in 'broke' and 'distinct', expected {layers}");
            return new SweepRecord(d.Seed, loss, d.Accuracy, d.TestLoss, d.TestAccuracy, distinct, broke, values);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new DataException($"{where}: not a sweep record ({e.Message})");
        }
    }

    private static SweepLineDocument<double> Widen(SweepLineDocument<float>? d) => d is null ? throw new FormatException("null")
        : new(d.Seed, d.Diverged, d.Loss, d.Accuracy, d.TestLoss, d.TestAccuracy, d.Distinct, d.Broke, d.Parameters is { } p ? [.. p.Select(v => (double)v)] : null);
}
