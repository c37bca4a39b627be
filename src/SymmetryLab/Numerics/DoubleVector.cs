using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace SymmetryLab.Numerics;

/// <summary>
/// One hardware vector of doubles, also seen as 64-bit integers: the operations the element-wise
/// kernels (<see cref="ExpPolynomial"/>, <see cref="LogPolynomial"/>, <see cref="ElementwiseMath"/>)
/// need, so that one kernel serves 512-bit vectors and <c>Vector&lt;T&gt;</c> (256 or 128 bits). The
/// JIT specializes a generic method per struct type argument, so these wrappers compile to the bare
/// instructions. Every operation rounds as the scalar one does, lane by lane.
/// </summary>
internal interface IDoubleVector<TSelf> where TSelf : unmanaged, IDoubleVector<TSelf>
{
    static abstract int Count { get; }
    static abstract TSelf Create(double value);
    /// <summary>Every lane holds the 64-bit integer <paramref name="bits"/>.</summary>
    static abstract TSelf CreateInt64(long bits);
    static abstract TSelf Load(ref double source);
    void Store(ref double destination);

    static abstract TSelf operator +(TSelf x, TSelf y);
    static abstract TSelf operator -(TSelf x, TSelf y);
    static abstract TSelf operator *(TSelf x, TSelf y);
    static abstract TSelf operator /(TSelf x, TSelf y);
    static abstract TSelf operator -(TSelf x);
    /// <summary>x * y + acc with a single rounding (IEEE fusedMultiplyAdd): <c>Math.FusedMultiplyAdd</c> lane by lane.</summary>
    static abstract TSelf Fma(TSelf x, TSelf y, TSelf acc);
    static abstract TSelf Abs(TSelf x);

    /// <summary>All bits set in the lanes where x &lt; y, else zero (false for NaN).</summary>
    static abstract TSelf LessThan(TSelf x, TSelf y);
    static abstract TSelf GreaterThan(TSelf x, TSelf y);
    static abstract TSelf Equals(TSelf x, TSelf y);
    /// <summary>Whether low &lt;= x &lt;= high in every lane (false when a lane is NaN).</summary>
    static abstract bool AllWithin(TSelf x, TSelf low, TSelf high);
    /// <summary>Bit i set where lane i of <paramref name="mask"/> (a comparison's result) is set.</summary>
    static abstract ulong MaskBits(TSelf mask);
    /// <summary>Lane <paramref name="lane"/>.</summary>
    double GetElement(int lane);
    /// <summary>The lanes of <paramref name="ifTrue"/> where <paramref name="mask"/> is set, else those of <paramref name="ifFalse"/>.</summary>
    static abstract TSelf Select(TSelf mask, TSelf ifTrue, TSelf ifFalse);
    static abstract TSelf operator &(TSelf x, TSelf y);
    static abstract TSelf operator |(TSelf x, TSelf y);
    /// <summary>x and not y, bit by bit.</summary>
    static abstract TSelf AndNot(TSelf x, TSelf y);

    static abstract TSelf AddInt64(TSelf x, TSelf y);
    static abstract TSelf SubtractInt64(TSelf x, TSelf y);
    static abstract TSelf ShiftLeftInt64(TSelf x, int count);
    /// <summary>The 64-bit integers shifted right by 52 with the sign filled in (floor(x / 2^52)), as doubles (exact).</summary>
    static abstract TSelf ShiftRight52ToDouble(TSelf x);
}

/// <summary>A 512-bit vector (AVX-512): 8 doubles.</summary>
internal readonly struct DoubleVector512(Vector512<double> value) : IDoubleVector<DoubleVector512>
{
    private readonly Vector512<double> _v = value;
    public Vector512<double> Value => _v;

    public static int Count => Vector512<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 Create(double value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 CreateInt64(long bits) => new(Vector512.Create(bits).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 Load(ref double source) => new(Vector512.LoadUnsafe(ref source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => _v.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 operator +(DoubleVector512 x, DoubleVector512 y) => new(x._v + y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 operator -(DoubleVector512 x, DoubleVector512 y) => new(x._v - y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 operator *(DoubleVector512 x, DoubleVector512 y) => new(x._v * y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 operator /(DoubleVector512 x, DoubleVector512 y) => new(x._v / y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 operator -(DoubleVector512 x) => new(-x._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 Fma(DoubleVector512 x, DoubleVector512 y, DoubleVector512 acc) => new(Vector512.FusedMultiplyAdd(x._v, y._v, acc._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 Abs(DoubleVector512 x) => new(Vector512.Abs(x._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 LessThan(DoubleVector512 x, DoubleVector512 y) => new(Vector512.LessThan(x._v, y._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 GreaterThan(DoubleVector512 x, DoubleVector512 y) => new(Vector512.GreaterThan(x._v, y._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 Equals(DoubleVector512 x, DoubleVector512 y) => new(Vector512.Equals(x._v, y._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllWithin(DoubleVector512 x, DoubleVector512 low, DoubleVector512 high) =>
        (Vector512.GreaterThanOrEqual(x._v, low._v) & Vector512.LessThanOrEqual(x._v, high._v)).AsInt64() == Vector512<long>.AllBitsSet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MaskBits(DoubleVector512 mask) => Vector512.ExtractMostSignificantBits(mask._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double GetElement(int lane) => _v.GetElement(lane);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 Select(DoubleVector512 mask, DoubleVector512 ifTrue, DoubleVector512 ifFalse) => new(Vector512.ConditionalSelect(mask._v, ifTrue._v, ifFalse._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 operator &(DoubleVector512 x, DoubleVector512 y) => new(x._v & y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 operator |(DoubleVector512 x, DoubleVector512 y) => new(x._v | y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 AndNot(DoubleVector512 x, DoubleVector512 y) => new(Vector512.AndNot(x._v, y._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 AddInt64(DoubleVector512 x, DoubleVector512 y) => new((x._v.AsInt64() + y._v.AsInt64()).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 SubtractInt64(DoubleVector512 x, DoubleVector512 y) => new((x._v.AsInt64() - y._v.AsInt64()).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 ShiftLeftInt64(DoubleVector512 x, int count) => new(Vector512.ShiftLeft(x._v.AsInt64(), count).AsDouble());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVector512 ShiftRight52ToDouble(DoubleVector512 x) => new(Vector512.ConvertToDouble(Vector512.ShiftRightArithmetic(x._v.AsInt64(), 52)));
}

/// <summary>
/// A <c>Vector&lt;double&gt;</c>: 4 doubles with AVX2, 2 with SSE or ARM64 AdvSimd. Its 64-bit shifts and
/// conversions are built from operations every one of those has (AVX2 has no 64-bit arithmetic shift
/// nor conversion to double, and the runtime would emulate them lane by lane).
/// </summary>
internal readonly struct DoubleVectorN(Vector<double> value) : IDoubleVector<DoubleVectorN>
{
    private const long SignBit = long.MinValue;
    /// <summary>2^52 as bits: adding an integer below 2^52 to them gives 2^52 plus that integer.</summary>
    private const long TwoTo52Bits = 0x4330000000000000;

    private readonly Vector<double> _v = value;
    public Vector<double> Value => _v;

    public static int Count => Vector<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN Create(double value) => new(new Vector<double>(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN CreateInt64(long bits) => new(Vector.AsVectorDouble(new Vector<long>(bits)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN Load(ref double source) => new(Vector.LoadUnsafe(ref source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => _v.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN operator +(DoubleVectorN x, DoubleVectorN y) => new(x._v + y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN operator -(DoubleVectorN x, DoubleVectorN y) => new(x._v - y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN operator *(DoubleVectorN x, DoubleVectorN y) => new(x._v * y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN operator /(DoubleVectorN x, DoubleVectorN y) => new(x._v / y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN operator -(DoubleVectorN x) => new(-x._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN Fma(DoubleVectorN x, DoubleVectorN y, DoubleVectorN acc) => new(Vector.FusedMultiplyAdd(x._v, y._v, acc._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN Abs(DoubleVectorN x) => new(Vector.Abs(x._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN LessThan(DoubleVectorN x, DoubleVectorN y) => new(Vector.AsVectorDouble(Vector.LessThan(x._v, y._v)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN GreaterThan(DoubleVectorN x, DoubleVectorN y) => new(Vector.AsVectorDouble(Vector.GreaterThan(x._v, y._v)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN Equals(DoubleVectorN x, DoubleVectorN y) => new(Vector.AsVectorDouble(Vector.Equals(x._v, y._v)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllWithin(DoubleVectorN x, DoubleVectorN low, DoubleVectorN high) =>
        (Vector.GreaterThanOrEqual(x._v, low._v) & Vector.LessThanOrEqual(x._v, high._v)) == Vector<long>.AllBitsSet;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MaskBits(DoubleVectorN mask) => Vector<double>.Count switch
    {
        8 => Vector512.ExtractMostSignificantBits(mask._v.AsVector512()),
        4 => Vector256.ExtractMostSignificantBits(mask._v.AsVector256()),
        _ => Vector128.ExtractMostSignificantBits(mask._v.AsVector128()),
    };
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double GetElement(int lane) => _v[lane];
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN Select(DoubleVectorN mask, DoubleVectorN ifTrue, DoubleVectorN ifFalse) => new(Vector.ConditionalSelect(mask._v, ifTrue._v, ifFalse._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN operator &(DoubleVectorN x, DoubleVectorN y) => new(x._v & y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN operator |(DoubleVectorN x, DoubleVectorN y) => new(x._v | y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN AndNot(DoubleVectorN x, DoubleVectorN y) => new(Vector.AndNot(x._v, y._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN AddInt64(DoubleVectorN x, DoubleVectorN y) => new(Vector.AsVectorDouble(Vector.AsVectorInt64(x._v) + Vector.AsVectorInt64(y._v)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN SubtractInt64(DoubleVectorN x, DoubleVectorN y) => new(Vector.AsVectorDouble(Vector.AsVectorInt64(x._v) - Vector.AsVectorInt64(y._v)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN ShiftLeftInt64(DoubleVectorN x, int count) => new(Vector.AsVectorDouble(Vector.ShiftLeft(Vector.AsVectorInt64(x._v), count)));

    /// <summary>
    /// With AVX-512 (on 256-bit vectors) or ARM64 the instructions; else the sign bit flipped (x + 2^63, so the
    /// order of signed integers becomes that of unsigned ones), a logical shift giving floor(x / 2^52) +
    /// 2048 &lt; 4096, put below the bits of 2^52 and 2^52 + 2048 subtracted: each step exact.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleVectorN ShiftRight52ToDouble(DoubleVectorN x)
    {
        var bits = Vector.AsVectorInt64(x._v);
        if (Avx512DQ.VL.IsSupported || AdvSimd.Arm64.IsSupported) return new(Vector.ConvertToDouble(Vector.ShiftRightArithmetic(bits, 52)));
        var biased = Vector.ShiftRightLogical(bits ^ new Vector<long>(SignBit), 52) + new Vector<long>(TwoTo52Bits);
        return new(Vector.AsVectorDouble(biased) - new Vector<double>(4503599627370496.0 + 2048));
    }
}
