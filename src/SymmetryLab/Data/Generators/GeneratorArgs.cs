using System.Globalization;

namespace SymmetryLab.Data.Generators;

/// <summary>The parameter values of one generator call, defaults filled in, plus the seed.</summary>
internal sealed class GeneratorArgs(IReadOnlyDictionary<string, double> values, ulong seed)
{
    public ulong Seed { get; } = seed;

    public double this[string name] => values.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"generator parameter '{name}' was not declared");

    public int Int(string name) => (int)this[name];

    /// <summary>The canonical spelling, every parameter written out: the name the generated set carries.</summary>
    public string Describe(string generator, IEnumerable<GeneratorParameter> order) =>
        $"{generator}:{string.Join(",", order.Select(p => $"{p.Name}={this[p.Name].ToString("R", CultureInfo.InvariantCulture)}"))},seed={Seed}";
}
