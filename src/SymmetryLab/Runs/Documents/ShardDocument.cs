namespace SymmetryLab.Runs.Documents;

/// <summary>shard.json: written last by a shard that finished, with its runs and how many of them diverged.</summary>
internal sealed record ShardDocument(string Format, int Index, int Count, long Runs, long Diverged)
{
    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "symlab-sweep-shard";
}
