namespace SymmetryLab.Engine;

/// <summary>
/// Which path the engine computes a training step by. By default it picks the fastest path proven
/// bit-equal to the reference (a tiny network's step in vector lanes, a sweep's seeds trained together);
/// <see cref="Reference"/> forces the plain chain rule of <see cref="DenseLayer{T}.Forward"/>,
/// <see cref="DenseLayer{T}.Backward"/> and <see cref="Network{T}.ComputeGradients(T[], T[], int, Losses.Loss, double)"/> for every step, so
/// a breakpoint there fires. The weights come out the same, bit for bit, either way.
/// </summary>
public sealed record EngineOptions
{
    /// <summary>The engine chooses the path (the fastest proven bit-equal).</summary>
    public static EngineOptions Default { get; } = new();

    /// <summary>Every step through the reference path, the one a learner reads.</summary>
    public static EngineOptions Reference { get; } = new() { ReferencePathOnly = true };

    /// <summary>Whether every step takes the reference path.</summary>
    public bool ReferencePathOnly { get; init; }
}
