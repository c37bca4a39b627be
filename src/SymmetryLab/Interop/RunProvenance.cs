using System.Text.Json;

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
            using var doc = JsonDocument.Parse(File.ReadAllText(run));
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("tool", out var tool) && tool.ValueKind == JsonValueKind.String && tool.GetString() == "symlab"
                && root.TryGetProperty("seed", out var seed) && seed.TryGetUInt64(out ulong s)
                && root.TryGetProperty("rng", out var rng) && rng.ValueKind == JsonValueKind.String
                ? new RunProvenance(s, rng.GetString()!) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }
}
