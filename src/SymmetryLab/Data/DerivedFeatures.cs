using SymmetryLab.Numerics;

namespace SymmetryLab.Data;

/// <summary>
/// Features computed from a two-feature set's x1 and x2, as TensorFlow Playground offers them: x1, x2,
/// x1^2, x2^2, x1*x2, sin(x1), sin(x2). A network that gets x1^2 and x2^2 separates two circles with a
/// single unit; one that gets only x1 and x2 needs a hidden layer. Each value is computed in float64
/// from the row's own x1 and x2, so the same point always gets the same bits.
/// </summary>
internal static class DerivedFeatures
{
    /// <summary>Every feature, in the order a derived set lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"];

    /// <summary>The value of feature <paramref name="name"/> (one of <see cref="Names"/>) at (x1, x2).</summary>
    public static double Value(string name, double x1, double x2) => name switch
    {
        "x1" => x1,
        "x2" => x2,
        "x1^2" => x1 * x1,
        "x2^2" => x2 * x2,
        "x1*x2" => x1 * x2,
        "sin(x1)" => CorrectlyRoundedSin.Sin(x1),
        "sin(x2)" => CorrectlyRoundedSin.Sin(x2),
        _ => throw new ArgumentException($"'{name}' is not a derived feature (known: {string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary>
    /// <paramref name="selected"/> (a non-empty subset of <see cref="Names"/>, no repeats) put in the order of
    /// <see cref="Names"/>; the message of the exception names what is wrong.
    /// </summary>
    public static string[] Order(IEnumerable<string> selected)
    {
        var set = new List<string>();
        foreach (var name in selected)
        {
            if (!Names.Contains(name)) throw new ArgumentException($"'{name}' is not a derived feature (known: {string.Join(", ", Names)})");
            if (set.Contains(name)) throw new ArgumentException($"'{name}' is listed twice");
            set.Add(name);
        }
        if (set.Count == 0) throw new ArgumentException("at least one feature is needed");
        return [.. Names.Where(set.Contains)];
    }

    /// <summary>
    /// The set with the features <paramref name="features"/> (see <see cref="Order"/>) computed from its two
    /// features, rows and targets as they were. Refuses a set that does not have exactly two features.
    /// </summary>
    public static Dataset Apply(Dataset data, IEnumerable<string> features)
    {
        var names = Order(features);
        if (data.Features != 2) throw new DataException($"{data.Name}: derived features need exactly two features (x1, x2), it has {data.Features}");
        var x = new double[data.Rows * names.Length];
        for (int r = 0; r < data.Rows; r++)
        {
            double x1 = data.X[2 * r], x2 = data.X[2 * r + 1];
            for (int f = 0; f < names.Length; f++) x[r * names.Length + f] = Value(names[f], x1, x2);
        }
        return new Dataset(data.Name, x, data.Y, names.Length, names, data.TargetName);
    }
}
