namespace SymmetryLab.Data.Generators;

/// <summary>The generators <c>--data</c> knows by name.</summary>
public static class GeneratorCatalog
{
    /// <summary>Every generator: xor, circles, moons, spirals, blobs, plane.</summary>
    public static IReadOnlyList<Generator> All { get; } =
        [new XorGenerator(), new CirclesGenerator(), new MoonsGenerator(), new SpiralsGenerator(), new BlobsGenerator(), new PlaneGenerator()];

    /// <summary>The generator named <paramref name="name"/> (any case); null if there is none.</summary>
    public static Generator? Find(string name) =>
        All.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A spec <c>NAME</c> or <c>NAME:p=v,...</c> whose NAME is a generator: the generated set; otherwise null
    /// (the spec is something else, say a file). Bad parameters of a real generator are errors.
    /// </summary>
    public static Dataset? TryGenerate(string spec)
    {
        int colon = spec.IndexOf(':');
        string name = colon < 0 ? spec : spec[..colon];
        if (Find(name.Trim()) is not { } generator) return null;
        return generator.Generate(colon < 0 ? "" : spec[(colon + 1)..], spec);
    }
}
