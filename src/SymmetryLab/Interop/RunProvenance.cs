using System.Text.Json;
using SymmetryLab.Serialization;

namespace SymmetryLab.Interop;

/// <summary>The seed and random generator of the training run that made a model (from the run's run.json).</summary>
/// <param name="Seed">The run's seed.</param>
/// <param name="Generator">The random generator's algorithm, as <see cref="Numerics.Rng.Algorithm"/> recorded it.</param>
public sealed record RunProvenance(ulong Seed, string Generator)
{
    /// <summary>
    /// The run.json beside a model file, when the model sits in a run folder written by symlab
    /// (<c>"tool": "symlab"</c> with a seed and rng); null otherwise, or when run.json cannot be read.
    /// </summary>
    public static RunProvenance? Beside(string modelPath)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(modelPath));
        if (dir is null) return null;
        string run = Path.Combine(dir, "run.json");
        if (!File.Exists(run) || new FileInfo(run).Length > 1 << 20) return null; // a run.json is a few hundred bytes
        try
        {
            // Read as the run folder's own record (the report reads it so too): a file that is not one gives no provenance.
            var read = JsonSerializer.Deserialize(File.ReadAllText(run), RunJsonContext.Default.RunDocument);
            return read is { Tool: "symlab" } ? new RunProvenance(read.Seed, read.Rng) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }
}
