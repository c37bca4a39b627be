using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SymmetryLab.Numerics;

/// <summary>
/// One hardware vector of floats and the vector of doubles of the same width that its halves widen to
/// (<typeparamref name="TDouble"/>): the operations the float kernels need (<see cref="IDoubleVector{TSelf}"/>
/// says why). Every operation rounds as the scalar one does, lane by lane.
/// </summary>
internal interface IFloatVector<TSelf, TDouble>
    where TSelf : unmanaged, IFloatVector<TSelf, TDouble>
    where TDouble : unmanaged, IDoubleVector<TDouble>
{
    static abstract int Count { get; }
    static abstract TSelf Create(float value);
    static abstract TSelf Load(ref float source);
    void Store(ref float destination);

    static abstract TSelf operator +(TSelf x, TSelf y);
    static abstract TSelf operator -(TSelf x, TSelf y);
    static abstract TSelf operator *(TSelf x, TSelf y);
    static abstract TSelf operator /(TSelf x, TSelf y);
    static abstract TSelf operator -(TSelf x);
    static abstract TSelf Abs(TSelf x);

    /// <summary>All bits set in the lanes where x &lt; y, else zero (false for NaN).</summary>
    static abstract TSelf LessThan(TSelf x, TSelf y);
    static abstract TSelf GreaterThan(TSelf x, TSelf y);
    static abstract TSelf Equals(TSelf x, TSelf y);
    /// <summary>Whether low &lt;= x &lt;= high in every lane (false when a lane is NaN).</summary>
    static abstract bool AllWithin(TSelf x, TSelf low, TSelf high);
    /// <summary>The lanes of <paramref name="ifTrue"/> where <paramref name="mask"/> is set, else those of <paramref name="ifFalse"/>.</summary>
    static abstract TSelf Select(TSelf mask, TSelf ifTrue, TSelf ifFalse);

    /// <summary>The lower and upper halves as doubles (exact).</summary>
    static abstract (TDouble Lower, TDouble Upper) Widen(TSelf x);
    /// <summary>Two vectors of doubles rounded to floats (round to nearest even, as a cast), lower half first.</summary>
    static abstract TSelf Narrow(TDouble lower, TDouble upper);
}

/// <summary>A 512-bit vector (AVX-512): 16 floats.</summary>
internal readonly struct FloatVector512(Vector512<float> value) : IFloatVector<FloatVector512, DoubleVector512>
{
    private readonly Vector512<float> _v = value;

    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 Create(float value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 Load(ref float source) => new(Vector512.LoadUnsafe(ref source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination) => _v.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 operator +(FloatVector512 x, FloatVector512 y) => new(x._v + y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 operator -(FloatVector512 x, FloatVector512 y) => new(x._v - y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 operator *(FloatVector512 x, FloatVector512 y) => new(x._v * y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 operator /(FloatVector512 x, FloatVector512 y) => new(x._v / y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 operator -(FloatVector512 x) => new(-x._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 Abs(FloatVector512 x) => new(Vector512.Abs(x._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 LessThan(FloatVector512 x, FloatVector512 y) => new(Vector512.LessThan(x._v, y._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 GreaterThan(FloatVector512 x, FloatVector512 y) => new(Vector512.GreaterThan(x._v, y._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 Equals(FloatVector512 x, FloatVector512 y) => new(Vector512.Equals(x._v, y._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllWithin(FloatVector512 x, FloatVector512 low, FloatVector512 high) =>
        (Vector512.GreaterThanOrEqual(x._v, low._v) & Vector512.LessThanOrEqual(x._v, high._v)).AsInt32() == Vector512<int>.AllBitsSet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 Select(FloatVector512 mask, FloatVector512 ifTrue, FloatVector512 ifFalse) => new(Vector512.ConditionalSelect(mask._v, ifTrue._v, ifFalse._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (DoubleVector512 Lower, DoubleVector512 Upper) Widen(FloatVector512 x) => (new(Vector512.WidenLower(x._v)), new(Vector512.WidenUpper(x._v)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 Narrow(DoubleVector512 lower, DoubleVector512 upper) => new(Vector512.Narrow(lower.Value, upper.Value));
}

/// <summary>A <c>Vector&lt;float&gt;</c>: 8 floats with AVX2, 4 with SSE or ARM64 AdvSimd.</summary>
internal readonly struct FloatVectorN(Vector<float> value) : IFloatVector<FloatVectorN, DoubleVectorN>
{
    private readonly Vector<float> _v = value;

    public static int Count => Vector<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN Create(float value) => new(new Vector<float>(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN Load(ref float source) => new(Vector.LoadUnsafe(ref source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination) => _v.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN operator +(FloatVectorN x, FloatVectorN y) => new(x._v + y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN operator -(FloatVectorN x, FloatVectorN y) => new(x._v - y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN operator *(FloatVectorN x, FloatVectorN y) => new(x._v * y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN operator /(FloatVectorN x, FloatVectorN y) => new(x._v / y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN operator -(FloatVectorN x) => new(-x._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN Abs(FloatVectorN x) => new(Vector.Abs(x._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN LessThan(FloatVectorN x, FloatVectorN y) => new(Vector.AsVectorSingle(Vector.LessThan(x._v, y._v)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN GreaterThan(FloatVectorN x, FloatVectorN y) => new(Vector.AsVectorSingle(Vector.GreaterThan(x._v, y._v)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN Equals(FloatVectorN x, FloatVectorN y) => new(Vector.AsVectorSingle(Vector.Equals(x._v, y._v)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllWithin(FloatVectorN x, FloatVectorN low, FloatVectorN high) =>
        (Vector.GreaterThanOrEqual(x._v, low._v) & Vector.LessThanOrEqual(x._v, high._v)) == Vector<int>.AllBitsSet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN Select(FloatVectorN mask, FloatVectorN ifTrue, FloatVectorN ifFalse) => new(Vector.ConditionalSelect(mask._v, ifTrue._v, ifFalse._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (DoubleVectorN Lower, DoubleVectorN Upper) Widen(FloatVectorN x)
    {
        Vector.Widen(x._v, out var lower, out var upper);
        return (new(lower), new(upper));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN Narrow(DoubleVectorN lower, DoubleVectorN upper) => new(Vector.Narrow(lower.Value, upper.Value));
}
