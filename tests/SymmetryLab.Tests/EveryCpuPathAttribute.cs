namespace SymmetryLab.Tests;

/// <summary>
/// Marks a test whose claim must hold on every CPU path: <see cref="Numerics.EveryCpuPathTests"/> runs
/// every test so marked again in child processes with AVX-512, AVX2 and all hardware intrinsics
/// switched off (<see cref="EveryCpuPathRunner"/>). Keep such tests quick: the scalar path is slower.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class EveryCpuPathAttribute : Attribute;
