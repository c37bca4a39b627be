using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SymmetryLab.Data;

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
        var buffer = new ArrayBufferWriter<byte>(256 + Parameters.Length * 12);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("seed", Seed);
            if (Diverged is not null)
            {
                w.WriteString("diverged", Diverged);
            }
            else
            {
                w.WriteNumber("loss", Loss);
                Number(w, "accuracy", Accuracy);
                Number(w, "testLoss", TestLoss);
                Number(w, "testAccuracy", TestAccuracy);
                w.WriteStartArray("distinct");
                foreach (var d in DistinctAtStart) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("broke");
                foreach (var b in BrokeAtStep)
                    if (b is { } step) w.WriteNumberValue(step); else w.WriteNullValue();
                w.WriteEndArray();
                w.WriteStartArray("parameters");
                bool single = precision == "float32";
                foreach (var p in Parameters)
                    w.WriteRawValue(single ? ((float)p).ToString("R", CultureInfo.InvariantCulture) : p.ToString("R", CultureInfo.InvariantCulture), skipInputValidation: true);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    /// <summary>Reads a line written by <see cref="ToJsonLine"/> (in the same <paramref name="precision"/>); <paramref name="where"/> names the file and line for errors.</summary>
    public static SweepRecord Parse(string line, string where, string precision, int parameters, int layers)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            ulong seed = root.GetProperty("seed").GetUInt64();
            if (root.TryGetProperty("diverged", out var diverged)) return Divergence(seed, diverged.GetString() ?? throw new FormatException("diverged is not text"));
            var distinct = root.GetProperty("distinct").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var broke = root.GetProperty("broke").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (long?)null : e.GetInt64()).ToArray();
            var values = new double[parameters];
            int i = 0;
            foreach (var e in root.GetProperty("parameters").EnumerateArray())
            {
                if (i == parameters) throw new FormatException($"more than {parameters} parameters");
                // A float32 parameter's text is the shortest that gives back its float bits, not a double's.
                values[i++] = precision == "float32" ? e.GetSingle() : e.GetDouble();
            }
            if (i != parameters) throw new FormatException($"{i} parameters, expected {parameters}");
            if (broke.Length != layers || distinct.Length != layers) throw new FormatException($"{broke.Length} and {distinct.Length} layers in 'broke' and 'distinct', expected {layers}");
            return new SweepRecord(seed, root.GetProperty("loss").GetDouble(), Optional(root, "accuracy"), Optional(root, "testLoss"), Optional(root, "testAccuracy"), distinct, broke, values);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new DataException($"{where}: not a sweep record ({e.Message})");
        }
    }

    private static double? Optional(JsonElement root, string name) =>
        root.GetProperty(name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;
}
