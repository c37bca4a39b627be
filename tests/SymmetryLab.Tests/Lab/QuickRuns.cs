using System.Collections.Concurrent;
using SymmetryLab.Lab.Experiments;

namespace SymmetryLab.Tests.Lab;

/// <summary>Each experiment run once at quick size per test run, shared by the tests that read it.</summary>
internal static class QuickRuns
{
    private static readonly ConcurrentDictionary<string, Lazy<ExperimentResult>> Runs = new();

    public static ExperimentResult Of(string name) =>
        Runs.GetOrAdd(name, n => new Lazy<ExperimentResult>(() => ExperimentCatalog.Find(n)!.Run(new ExperimentOptions(Quick: true)))).Value;
}
