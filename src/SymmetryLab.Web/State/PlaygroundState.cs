using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SymmetryLab.Web.State;

/// <summary>A weight or bias set by hand at the start: <see cref="Param"/> in SPEC.md notation (<c>W1[2,1]</c>, <c>b2[1]</c>), <see cref="Value"/> the exact number as text.</summary>
internal sealed record WeightEdit(string Param, string Value);

/// <summary>
/// <see cref="To"/> starts equal to <see cref="From"/>: two weights or biases (<c>W1[1,1]</c>), or two units of
/// one layer (<c>u1[1]</c>: incoming weights, bias and outgoing weights).
/// </summary>
internal sealed record Tie(string From, string To);

/// <summary>
/// Everything that fixes a playground run's start and its training: the data, the network, the settings of
/// <c>symlab train</c>, the seed, and the weights edited or tied by hand. The page keeps it in its URL, so a
/// link opens the same run with the same initial weights. Null means "the default of symlab train".
/// </summary>
internal sealed record PlaygroundState
{
    /// <summary>A built-in set, a generator spec (<c>circles:n=300,noise=0.1</c>) or <c>upload</c> (the session's CSV).</summary>
    public string Data { get; init; } = "circles:n=300,noise=0.1,factor=0.5";
    /// <summary>The --test fraction held out (seeded by <see cref="Seed"/>); null: the set's own test set, if any.</summary>
    public double? Test { get; init; } = 0.3;
    /// <summary>Inputs computed from x1 and x2 (<see cref="Data.DerivedFeatures.Names"/>); null: the set's own features.</summary>
    public string[]? Features { get; init; }
    public int[] Hidden { get; init; } = [4, 4];
    /// <summary>One activation per hidden layer.</summary>
    public string[] Activations { get; init; } = ["tanh", "tanh"];
    /// <summary>Output width; null: from the target (K classes, else 1).</summary>
    public int? Outputs { get; init; }
    public string? OutputActivation { get; init; }
    public string? Loss { get; init; }
    public string Init { get; init; } = "glorot-uniform";
    public string BiasInit { get; init; } = "zeros";
    /// <summary>--perturb EPS[:LAYER], or null.</summary>
    public string? Perturb { get; init; }
    public string Optimizer { get; init; } = "sgd";
    public double? Lr { get; init; } = 0.03;
    /// <summary>A batch size, "full", or null (32; full for gd).</summary>
    public string? Batch { get; init; } = "10";
    public double L2 { get; init; }
    public double Dropout { get; init; }
    public string Normalize { get; init; } = "none";
    public string Precision { get; init; } = "float32";
    public ulong Seed { get; init; } = 1;
    public WeightEdit[] Edits { get; init; } = [];
    public Tie[] Ties { get; init; } = [];

    /// <summary>Whether the start differs from what the settings alone make (then a command needs --model initial.json).</summary>
    [JsonIgnore]
    public bool HasHandSetWeights => Edits.Length > 0 || Ties.Length > 0;

    /// <summary>The largest seed: 2^53 - 1, beyond which a JavaScript number is no longer every whole number.</summary>
    public const ulong MaxSeed = (1UL << 53) - 1;

    private static readonly string[] Known =
        ["data", "test", "features", "hidden", "activations", "outputs", "outputActivation", "loss", "init", "biasInit", "perturb",
         "optimizer", "lr", "batch", "l2", "dropout", "normalize", "precision", "seed", "edits", "ties"];

    /// <summary>
    /// Reads a state from JSON; every field may be left out (its default above). Only the shape is checked
    /// here (types, unknown fields, sizes); the values are checked where <c>symlab train</c> checks them.
    /// </summary>
    public static PlaygroundState Parse(JsonElement root, PlaygroundLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FieldException("state", "the state must be a JSON object");
        foreach (var p in root.EnumerateObject())
            if (!Known.Contains(p.Name)) throw new FieldException(p.Name, $"{p.Name}: not a field of the playground's state (fields: {string.Join(", ", Known)})");
        var s = new PlaygroundState();
        if (root.TryGetProperty("data", out var v)) s = s with { Data = Text(v, "data", 400) };
        if (root.TryGetProperty("test", out v)) s = s with { Test = NumberOrNull(v, "test") };
        if (root.TryGetProperty("features", out v)) s = s with { Features = v.ValueKind == JsonValueKind.Null ? null : Texts(v, "features", 7, 16) };
        if (root.TryGetProperty("hidden", out v))
        {
            if (v.ValueKind != JsonValueKind.Array) throw new FieldException("hidden", "hidden: expected an array of hidden-layer widths, e.g. [4, 4]");
            if (v.GetArrayLength() > limits.MaxHiddenLayers) throw new FieldException("hidden", $"hidden: {v.GetArrayLength()} hidden layers, the playground allows at most {limits.MaxHiddenLayers}");
            s = s with { Hidden = [.. v.EnumerateArray().Select((e, i) => Width(e, $"hidden[{i}]", limits))] };
        }
        if (root.TryGetProperty("activations", out v)) s = s with { Activations = Texts(v, "activations", limits.MaxHiddenLayers, 16) };
        // Hidden layers without activations: the default one for each, not the default state's two.
        else if (root.TryGetProperty("hidden", out _)) s = s with { Activations = [.. s.Hidden.Select(_ => new PlaygroundState().Activations[0])] };
        if (root.TryGetProperty("outputs", out v)) s = s with { Outputs = v.ValueKind == JsonValueKind.Null ? null : Width(v, "outputs", limits) };
        if (root.TryGetProperty("outputActivation", out v)) s = s with { OutputActivation = TextOrNull(v, "outputActivation", 16) };
        if (root.TryGetProperty("loss", out v)) s = s with { Loss = TextOrNull(v, "loss", 8) };
        if (root.TryGetProperty("init", out v)) s = s with { Init = Text(v, "init", 100) };
        if (root.TryGetProperty("biasInit", out v)) s = s with { BiasInit = Text(v, "biasInit", 100) };
        if (root.TryGetProperty("perturb", out v)) s = s with { Perturb = TextOrNull(v, "perturb", 40) };
        if (root.TryGetProperty("optimizer", out v)) s = s with { Optimizer = Text(v, "optimizer", 16) };
        if (root.TryGetProperty("lr", out v)) s = s with { Lr = NumberOrNull(v, "lr") };
        if (root.TryGetProperty("batch", out v))
            s = s with { Batch = v.ValueKind switch { JsonValueKind.Null => null, JsonValueKind.Number => v.GetRawText(), _ => Text(v, "batch", 12) } };
        if (root.TryGetProperty("l2", out v)) s = s with { L2 = Number(v, "l2") };
        if (root.TryGetProperty("dropout", out v)) s = s with { Dropout = Number(v, "dropout") };
        if (root.TryGetProperty("normalize", out v)) s = s with { Normalize = Text(v, "normalize", 16) };
        if (root.TryGetProperty("precision", out v)) s = s with { Precision = Text(v, "precision", 16) };
        if (root.TryGetProperty("seed", out v))
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetUInt64(out ulong seed)) throw new FieldException("seed", $"--seed {v.GetRawText()}: expected a whole number >= 0");
            // The page holds the seed in a JavaScript number (and its link): larger seeds would come back as other seeds.
            if (seed > MaxSeed) throw new FieldException("seed", $"seed {seed}: the playground takes seeds up to {MaxSeed} (2^53 - 1, the largest whole number a page holds exactly)");
            s = s with { Seed = seed };
        }
        if (root.TryGetProperty("edits", out v))
        {
            var items = Array(v, "edits", limits.MaxEdits);
            s = s with
            {
                Edits = [.. items.Select((e, i) =>
                {
                    Object(e, $"edits[{i}]", ["param", "value"]);
                    string param = Text(e.GetProperty("param"), $"edits[{i}].param", 40);
                    var value = e.GetProperty("value");
                    string text = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : Text(value, $"edits[{i}].value", 64);
                    return new WeightEdit(param, text);
                })],
            };
        }
        if (root.TryGetProperty("ties", out v))
        {
            var items = Array(v, "ties", limits.MaxEdits);
            s = s with
            {
                Ties = [.. items.Select((e, i) =>
                {
                    Object(e, $"ties[{i}]", ["from", "to"]);
                    return new Tie(Text(e.GetProperty("from"), $"ties[{i}].from", 40), Text(e.GetProperty("to"), $"ties[{i}].to", 40));
                })],
            };
        }
        return s;
    }

    private static string Text(JsonElement v, string field, int maxLength)
    {
        if (v.ValueKind != JsonValueKind.String) throw new FieldException(field, $"{field}: expected a string, not {Kind(v)}");
        string s = v.GetString()!;
        if (s.Length > maxLength) throw new FieldException(field, $"{field}: longer than {maxLength} characters");
        return s;
    }

    private static string? TextOrNull(JsonElement v, string field, int maxLength) => v.ValueKind == JsonValueKind.Null ? null : Text(v, field, maxLength);

    private static string[] Texts(JsonElement v, string field, int maxCount, int maxLength) =>
        [.. Array(v, field, maxCount).Select((e, i) => Text(e, $"{field}[{i}]", maxLength))];

    private static JsonElement[] Array(JsonElement v, string field, int maxCount)
    {
        if (v.ValueKind != JsonValueKind.Array) throw new FieldException(field, $"{field}: expected an array, not {Kind(v)}");
        if (v.GetArrayLength() > maxCount) throw new FieldException(field, $"{field}: {v.GetArrayLength()} items, the playground allows at most {maxCount}");
        return [.. v.EnumerateArray()];
    }

    private static void Object(JsonElement v, string field, string[] fields)
    {
        if (v.ValueKind != JsonValueKind.Object) throw new FieldException(field, $"{field}: expected an object with {string.Join(" and ", fields)}");
        foreach (var p in v.EnumerateObject())
            if (!fields.Contains(p.Name)) throw new FieldException($"{field}.{p.Name}", $"{field}.{p.Name}: not a field (fields: {string.Join(", ", fields)})");
        foreach (var f in fields)
            if (!v.TryGetProperty(f, out _)) throw new FieldException($"{field}.{f}", $"{field}.{f}: missing");
    }

    private static double Number(JsonElement v, string field)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d))
            throw new FieldException(field, $"{field}: expected a finite number, not {(v.ValueKind == JsonValueKind.Number ? v.GetRawText() : Kind(v))}");
        return d;
    }

    private static double? NumberOrNull(JsonElement v, string field) => v.ValueKind == JsonValueKind.Null ? null : Number(v, field);

    private static int Width(JsonElement v, string field, PlaygroundLimits limits)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int n) || n < 1)
            throw new FieldException(field, $"{field}: '{v.GetRawText()}' is not a width (a whole number >= 1)");
        if (n > limits.MaxUnits) throw new FieldException(field, $"{field}: {n} units, the playground allows at most {limits.MaxUnits} per layer");
        return n;
    }

    private static string Kind(JsonElement v) => v.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture);
}
