using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SymmetryLab.Numerics;

/// <summary>
/// The few vector operations the packing and compare's line kernels need, over one hardware vector of
/// <typeparamref name="T"/>, so that one kernel serves 512-bit and 256-bit machines. The JIT specializes
/// a generic method per struct type argument, but around an FMA it keeps the wrapper's value in a
/// register of its own and moves it back: the multiply-add kernels use <see cref="BareVector"/> instead.
/// </summary>
internal interface ISimdVector<TSelf, T> where TSelf : unmanaged, ISimdVector<TSelf, T> where T : unmanaged
{
    static abstract int Count { get; }
    static abstract TSelf Zero { get; }
    static abstract TSelf Load(ref T source);
    static abstract TSelf Broadcast(T value);
    /// <summary>x * y + acc with a single rounding (IEEE fusedMultiplyAdd), lane by lane: bit-equal to the scalar <c>T.FusedMultiplyAdd</c>.</summary>
    static abstract TSelf MultiplyAdd(TSelf x, TSelf y, TSelf acc);
    /// <summary>x + y, lane by lane, rounded once.</summary>
    static abstract TSelf Add(TSelf x, TSelf y);
    /// <summary>x - y, lane by lane, rounded once.</summary>
    static abstract TSelf Subtract(TSelf x, TSelf y);
    /// <summary>x * y, lane by lane, rounded once (never fused with a following addition).</summary>
    static abstract TSelf Multiply(TSelf x, TSelf y);
    /// <summary>Two vectors of doubles rounded to float, lane by lane, stored as 2 x Count floats (T = double only).</summary>
    static abstract void StoreNarrowed(TSelf low, TSelf high, ref float destination);
    void Store(ref T destination);
}

/// <summary>A 512-bit vector (AVX-512): 16 floats or 8 doubles.</summary>
internal readonly struct Simd512<T>(Vector512<T> value) : ISimdVector<Simd512<T>, T> where T : unmanaged
{
    private readonly Vector512<T> _v = value;
    public static int Count => Vector512<T>.Count;
    public static Simd512<T> Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Load(ref T source) => new(Vector512.LoadUnsafe(ref source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Broadcast(T value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> MultiplyAdd(Simd512<T> x, Simd512<T> y, Simd512<T> acc)
    {
        if (typeof(T) == typeof(float))
            return new(Vector512.FusedMultiplyAdd(x._v.AsSingle(), y._v.AsSingle(), acc._v.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector512.FusedMultiplyAdd(x._v.AsDouble(), y._v.AsDouble(), acc._v.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Add(Simd512<T> x, Simd512<T> y) => new(x._v + y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Subtract(Simd512<T> x, Simd512<T> y) => new(x._v - y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Multiply(Simd512<T> x, Simd512<T> y) => new(x._v * y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNarrowed(Simd512<T> low, Simd512<T> high, ref float destination)
    {
        if (typeof(T) != typeof(double)) throw new NotSupportedException(typeof(T).Name);
        Vector512.Narrow(low._v.AsDouble(), high._v.AsDouble()).StoreUnsafe(ref destination);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T destination) => _v.StoreUnsafe(ref destination);
}

/// <summary>A 256-bit vector (AVX2 + FMA): 8 floats or 4 doubles. Still correct, only slower, where it is emulated.</summary>
internal readonly struct Simd256<T>(Vector256<T> value) : ISimdVector<Simd256<T>, T> where T : unmanaged
{
    private readonly Vector256<T> _v = value;
    public static int Count => Vector256<T>.Count;
    public static Simd256<T> Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Load(ref T source) => new(Vector256.LoadUnsafe(ref source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Broadcast(T value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> MultiplyAdd(Simd256<T> x, Simd256<T> y, Simd256<T> acc)
    {
        if (typeof(T) == typeof(float))
            return new(Vector256.FusedMultiplyAdd(x._v.AsSingle(), y._v.AsSingle(), acc._v.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double))
            return new(Vector256.FusedMultiplyAdd(x._v.AsDouble(), y._v.AsDouble(), acc._v.AsDouble()).As<double, T>());
        throw new NotSupportedException(typeof(T).Name);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Add(Simd256<T> x, Simd256<T> y) => new(x._v + y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Subtract(Simd256<T> x, Simd256<T> y) => new(x._v - y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Multiply(Simd256<T> x, Simd256<T> y) => new(x._v * y._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNarrowed(Simd256<T> low, Simd256<T> high, ref float destination)
    {
        if (typeof(T) != typeof(double)) throw new NotSupportedException(typeof(T).Name);
        Vector256.Narrow(low._v.AsDouble(), high._v.AsDouble()).StoreUnsafe(ref destination);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T destination) => _v.StoreUnsafe(ref destination);
}
