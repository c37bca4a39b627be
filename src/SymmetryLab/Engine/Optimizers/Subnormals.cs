namespace SymmetryLab.Engine.Optimizers;

/// <summary>
/// Keeps optimizer state out of the subnormal numbers. State that decays toward zero (Adam's moments
/// and momentum's velocity once a gradient is 0, a dead relu unit's say) passes through the subnormal
/// range, where every operation on it takes a microcode assist a hundred times slower than usual: on
/// W3 Adam took 70% of an epoch's time for that. Values this small cannot move any weight (Adam adds
/// eps = 1e-8 to sqrt(v) and multiplies m by at most lr / (1 - b1)), so they are set to zero first.
/// </summary>
/// <remarks>
/// A flush is a compare and a select, element by element, the same in a vector lane and in a scalar:
/// equal parameters still get equal bits.
/// </remarks>
internal static class Subnormals<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T MinNormal = T.CreateChecked(typeof(T) == typeof(float) ? Math.Pow(2, -126) : Math.Pow(2, -1022));

    /// <summary>State below this (2^24 times the smallest normal number) becomes 0: scaled by 0.9 or 0.999 it stays normal.</summary>
    public static readonly T StateFloor = MinNormal * T.CreateChecked(1 << 24);

    /// <summary>A gradient below this adds 0 to Adam's v: (1 - b2) g^2 of a larger one is a normal number.</summary>
    public static readonly T SquareFloor = T.Sqrt(MinNormal) * T.CreateChecked(1 << 8);

    public static T Flush(T x, T floor) => T.Abs(x) < floor ? T.Zero : x;

    public static Vector<T> Flush(Vector<T> x, Vector<T> floor) => Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), floor), Vector<T>.Zero, x);
}
