using System.Runtime.InteropServices;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine.Accelerated;

/// <summary>
/// <see cref="ActivationFunctions"/> for numbers held in vector lanes: element [r, j] of a rows x units
/// matrix is the vector <c>m[r * units + j]</c>, and each lane is a separate sample (a tiny network's
/// batch) or a separate network (a seed batch). Lane by lane the operations and their order are those
/// of the row-major code, so every lane gets the bits its element would get there.
/// </summary>
internal static class LaneActivations
{
    public static Span<T> Flat<T>(Vector<T>[] lanes, int count) where T : unmanaged =>
        MemoryMarshal.Cast<Vector<T>, T>(lanes.AsSpan(0, count));

    /// <summary>a = g(z) for rows x units vectors.</summary>
    public static void Forward<T>(Activation g, Vector<T>[] z, Vector<T>[] a, int rows, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g != Activation.Softmax)
        {
            ActivationFunctions.Forward<T>(g, Flat(z, rows * units), Flat(a, rows * units), 1, rows * units * Vector<T>.Count);
            return;
        }
        // Shift by the row's largest logit, exponentiate, normalize: as the row-major softmax, per lane.
        for (int r = 0; r < rows; r++)
        {
            var max = z[r * units];
            for (int c = 1; c < units; c++) max = Vector.ConditionalSelect(Vector.GreaterThan(z[r * units + c], max), z[r * units + c], max);
            for (int c = 0; c < units; c++) a[r * units + c] = z[r * units + c] - max;
        }
        ElementwiseMath.Exp<T>(Flat(a, rows * units), Flat(a, rows * units));
        for (int r = 0; r < rows; r++)
        {
            var sum = Vector<T>.Zero;
            for (int c = 0; c < units; c++) sum += a[r * units + c];
            for (int c = 0; c < units; c++) a[r * units + c] /= sum;
        }
    }

    /// <summary>delta = dJ/da * g'(z) for rows x units vectors (softmax through its full Jacobian, per lane).</summary>
    public static void Backward<T>(Activation g, Vector<T>[] z, Vector<T>[] a, Vector<T>[] dA, Vector<T>[] delta, int rows, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g != Activation.Softmax)
        {
            int n = rows * units;
            ActivationFunctions.Backward<T>(g, Flat(z, n), Flat(a, n), Flat(dA, n), Flat(delta, n), 1, n * Vector<T>.Count);
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            var dot = Vector<T>.Zero;
            for (int c = 0; c < units; c++) dot += a[r * units + c] * dA[r * units + c];
            for (int c = 0; c < units; c++) delta[r * units + c] = a[r * units + c] * (dA[r * units + c] - dot);
        }
    }
}
