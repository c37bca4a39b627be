namespace SymmetryLab.Engine.Optimizers;

/// <summary>
/// Keeps optimizer state out of the subnormal numbers. State that decays toward zero (Adam's moments
/// and momentum's velocity once a gradient is 0, a dead relu unit's say) would pass through the
/// subnormal range over hundreds of steps, and every operation on a subnormal takes a microcode
/// assist a hundred times slower than usual: on W3 Adam took 70% of an epoch's time for that. A value
/// that falls below the smallest normal number is set to 0 at once (one slow step, not hundreds), and
/// a gradient too small for (1 - b2) g^2 to be normal adds 0 to Adam's v.
/// </summary>
/// <remarks>
/// What this changes against the unflushed rule, in float (in double the bounds are ~1e-290 smaller):
/// v and the g^2 term move sqrt(v) / sqrt(1 - b2^t) by less than 1e-17, far below half a unit in the
/// last place of eps = 1e-8, so Adam's denominator never changes; a flushed m or velocity would have
/// moved its weight by less than 1.2e-29 lr per step, which only shows in a weight within about
/// 2e-22 of zero (a bias still at its zero start, say). The tests check both against the unflushed
/// rule. A flush is a compare and a select, element by element, the same in a vector lane and in a
/// scalar: equal parameters still get equal bits.
/// </remarks>
internal static class Subnormals<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The smallest normal number: state below it (in magnitude) becomes 0.</summary>
    public static readonly T StateFloor = T.CreateChecked(typeof(T) == typeof(float) ? Math.Pow(2, -126) : Math.Pow(2, -1022));

    /// <summary>A gradient below this adds 0 to Adam's v: for a larger one, (1 - b2) g and (1 - b2) g^2 are normal numbers.</summary>
    public static readonly T SquareFloor = T.Sqrt(StateFloor) * T.CreateChecked(1 << 6);

    public static T Flush(T x, T floor) => T.Abs(x) < floor ? T.Zero : x;

    public static Vector<T> Flush(Vector<T> x, Vector<T> floor) => Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), floor), Vector<T>.Zero, x);
}
