using System.Globalization;
using SymmetryLab.Numerics;
using SymmetryLab.Runs;

namespace SymmetryLab.Data.Generators;

/// <summary>
/// A synthetic data set made from parameters and a seed, reachable from <c>--data</c> as
/// <c>NAME</c> or <c>NAME:p=v,p=v</c> (for example <c>circles:n=300,noise=0.05,factor=0.5</c>).
/// Every parameter has a default and <c>seed</c> defaults to 1, so a spec names one fixed data set
/// unless the user asks for another draw. Draws come from <see cref="Rng"/>'s Generator stream.
/// </summary>
public abstract class Generator
{
    /// <summary>Only the library's own generators derive from it (<see cref="GeneratorCatalog.All"/>).</summary>
    private protected Generator()
    {
    }

    /// <summary>The name in a spec: xor, circles, moons, spirals, blobs, plane.</summary>
    public abstract string Name { get; }

    /// <summary>What the set looks like, in a sentence.</summary>
    public abstract string Description { get; }

    /// <summary>Its parameters, in the order a spec writes them out.</summary>
    public abstract IReadOnlyList<GeneratorParameter> Parameters { get; }

    /// <summary>The number of classes the set has with its default parameters (0: a regression target).</summary>
    public abstract int DefaultClasses { get; }

    /// <summary>Features with the default parameters.</summary>
    public virtual int DefaultFeatures => 2;

    private protected abstract Dataset Make(GeneratorArgs args, Rng rng, string name);

    /// <summary>Rows with the default parameters (n).</summary>
    public int DefaultRows => (int)Parameters.First(p => p.Name == "n").Default;

    /// <summary>"name:p=DEFAULT,...,seed=1" for help texts.</summary>
    public string Usage =>
        $"{Name}:{string.Join(",", Parameters.Select(p => $"{p.Name}={p.Default.ToString(CultureInfo.InvariantCulture)}"))},seed=1";

    /// <summary>Makes the set from <c>p=v,p=v</c> (may be empty); <paramref name="spec"/> is only for messages.</summary>
    public Dataset Generate(string parameters, string spec)
    {
        var values = Parameters.ToDictionary(p => p.Name, p => p.Default);
        ulong seed = 1;
        foreach (var pair in parameters.Split(',', StringSplitOptions.TrimEntries))
        {
            if (pair.Length == 0) continue;
            int eq = pair.IndexOf('=');
            if (eq <= 0) throw DataException.Of($"{new Setting("spec", spec)}: '{pair}' is not NAME=VALUE (parameters of {Name}: {ParameterList})");
            string key = pair[..eq].Trim(), text = pair[(eq + 1)..].Trim();
            if (key == "seed")
            {
                if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
                    throw DataException.Of($"{new Setting("spec", spec)}: seed={text} is not a whole number >= 0");
                continue;
            }
            var parameter = Parameters.FirstOrDefault(p => p.Name == key)
                ?? throw DataException.Of($"{new Setting("spec", spec)}: {Name} has no parameter '{key}' (parameters: {ParameterList})");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !parameter.Accepts(v))
                throw DataException.Of($"{new Setting("spec", spec)}: {key}={text}: {key} must be {parameter.Range}");
            values[key] = v;
        }
        var args = new GeneratorArgs(values, seed);
        // Rows times (features + the target), before any array is made: n = 2^31 - 1 is a clear no, not an overflow.
        double features = values.TryGetValue("features", out double f) ? f : DefaultFeatures;
        DataLimits.CheckValues(new Setting("spec", spec), (long)Math.Min(values["n"] * (features + 1), long.MaxValue));
        return Make(args, Rng.Stream(seed, RngStream.Generator), args.Describe(Name, Parameters));
    }

    private string ParameterList => string.Join(", ", Parameters.Select(p => p.Name).Append("seed"));

    /// <summary>numpy.linspace: <paramref name="count"/> evenly spaced values from start to stop.</summary>
    protected static double LinSpace(double start, double stop, int count, int i, bool endpoint = true)
    {
        int div = endpoint ? count - 1 : count;
        return div <= 0 ? start : start + (stop - start) * i / div;
    }
}
