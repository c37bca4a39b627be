using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SymmetryLab.Numerics;

/// <summary>
/// One hardware vector of floats and the vector of doubles its lanes widen to (<typeparamref name="TDouble"/>:
/// two of the same width, or one of twice the width): the operations the float kernels need
/// (<see cref="IDoubleVector{TSelf}"/> says why). Every operation rounds as the scalar one does, lane by lane.
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

    /// <summary>How many vectors of <typeparamref name="TDouble"/> the lanes widen to: 2 (halves) or 1.</summary>
    static abstract int DoubleVectors { get; }
    /// <summary>The lower half of the lanes as doubles (exact); all of them when <see cref="DoubleVectors"/> is 1.</summary>
    static abstract TDouble WidenLower(TSelf x);
    static abstract TDouble WidenUpper(TSelf x);
    /// <summary>Doubles rounded to floats (to nearest even, as a cast), lower half first; <paramref name="upper"/> unused when <see cref="DoubleVectors"/> is 1.</summary>
    static abstract TSelf Narrow(TDouble lower, TDouble upper);
}

/// <summary>Float kernels that compute in double.</summary>
internal static class FloatVector
{
    /// <summary>f of each lane computed in double and rounded to float: exactly the scalar (float)f((double)x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VF InDouble<F, VF, VD>(VF x) where F : IDoubleFunction where VF : unmanaged, IFloatVector<VF, VD> where VD : unmanaged, IDoubleVector<VD> =>
        VF.DoubleVectors == 1
            ? VF.Narrow(F.Invoke(VF.WidenLower(x)), default)
            : VF.Narrow(F.Invoke(VF.WidenLower(x)), F.Invoke(VF.WidenUpper(x)));
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

    public static int DoubleVectors => 2;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 WidenLower(FloatVector512 x) => new(Vector512.WidenLower(x._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 WidenUpper(FloatVector512 x) => new(Vector512.WidenUpper(x._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVector512 Narrow(DoubleVector512 lower, DoubleVector512 upper) => new(Vector512.Narrow(lower.Value, upper.Value));
}

/// <summary>
/// A <c>Vector&lt;float&gt;</c>: 8 floats with AVX2, 4 with SSE or ARM64 AdvSimd. Its lanes widen to two
/// <see cref="DoubleVectorN"/>, or, with AVX-512 and 8 lanes, to one <see cref="DoubleVector512"/>
/// (the double arithmetic of 8 floats in one instruction each instead of two).
/// </summary>
internal readonly struct FloatVectorN<TDouble>(Vector<float> value) : IFloatVector<FloatVectorN<TDouble>, TDouble>
    where TDouble : unmanaged, IDoubleVector<TDouble>
{
    private static bool OneWide => typeof(TDouble) == typeof(DoubleVector512);

    private readonly Vector<float> _v = value;

    public static int Count => Vector<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN<TDouble> Create(float value) => new(new Vector<float>(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN<TDouble> Load(ref float source) => new(Vector.LoadUnsafe(ref source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref float destination) => _v.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN<TDouble> operator +(FloatVectorN<TDouble> x, FloatVectorN<TDouble> y) => new(x._v + y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN<TDouble> operator -(FloatVectorN<TDouble> x, FloatVectorN<TDouble> y) => new(x._v - y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN<TDouble> operator *(FloatVectorN<TDouble> x, FloatVectorN<TDouble> y) => new(x._v * y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN<TDouble> operator /(FloatVectorN<TDouble> x, FloatVectorN<TDouble> y) => new(x._v / y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN<TDouble> operator -(FloatVectorN<TDouble> x) => new(-x._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN<TDouble> Abs(FloatVectorN<TDouble> x) => new(Vector.Abs(x._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN<TDouble> LessThan(FloatVectorN<TDouble> x, FloatVectorN<TDouble> y) => new(Vector.AsVectorSingle(Vector.LessThan(x._v, y._v)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN<TDouble> GreaterThan(FloatVectorN<TDouble> x, FloatVectorN<TDouble> y) => new(Vector.AsVectorSingle(Vector.GreaterThan(x._v, y._v)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN<TDouble> Equals(FloatVectorN<TDouble> x, FloatVectorN<TDouble> y) => new(Vector.AsVectorSingle(Vector.Equals(x._v, y._v)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllWithin(FloatVectorN<TDouble> x, FloatVectorN<TDouble> low, FloatVectorN<TDouble> high) =>
        (Vector.GreaterThanOrEqual(x._v, low._v) & Vector.LessThanOrEqual(x._v, high._v)) == Vector<int>.AllBitsSet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN<TDouble> Select(FloatVectorN<TDouble> mask, FloatVectorN<TDouble> ifTrue, FloatVectorN<TDouble> ifFalse) => new(Vector.ConditionalSelect(mask._v, ifTrue._v, ifFalse._v));

    public static int DoubleVectors => OneWide ? 1 : 2;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TDouble WidenLower(FloatVectorN<TDouble> x) => OneWide
        ? Unsafe.BitCast<Vector512<double>, TDouble>(Avx512F.ConvertToVector512Double(x._v.AsVector256()))
        : Unsafe.BitCast<Vector<double>, TDouble>(Vector.WidenLower(x._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TDouble WidenUpper(FloatVectorN<TDouble> x) => Unsafe.BitCast<Vector<double>, TDouble>(Vector.WidenUpper(x._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FloatVectorN<TDouble> Narrow(TDouble lower, TDouble upper) => new(OneWide
        ? Avx512F.ConvertToVector256Single(Unsafe.BitCast<TDouble, Vector512<double>>(lower)).AsVector()
        : Vector.Narrow(Unsafe.BitCast<TDouble, Vector<double>>(lower), Unsafe.BitCast<TDouble, Vector<double>>(upper)));
}
