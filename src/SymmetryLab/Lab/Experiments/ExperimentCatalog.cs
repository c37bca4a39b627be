namespace SymmetryLab.Lab.Experiments;

/// <summary>Every experiment, by name, in the order the lessons raise them.</summary>
public static class ExperimentCatalog
{
    /// <summary>Every experiment, in the lessons' order.</summary>
    public static IReadOnlyList<Experiment> All { get; } =
    [
        new WhyDifferent(),
        new Tied221(),
        new LogisticFromZero(),
        new EslKClass(),
        new TanhSgd(),
        new RowsOfW1(),
        new SoupBowl(),
        new WhatBreaksSymmetry(),
        new DeadOrSymmetric(),
        new DlsInitialization(),
    ];

    /// <summary>The experiment named <paramref name="name"/>; null if there is none.</summary>
    public static Experiment? Find(string name) => All.FirstOrDefault(e => e.Name == name);
}
