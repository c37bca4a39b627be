namespace SymmetryLab.Runs.Documents;

/// <summary>runs/seed-N/diverged.json (<c>--keep diverged</c>): the seed and the message that says where its training diverged.</summary>
internal sealed record DivergedDocument(ulong Seed, string Diverged);
