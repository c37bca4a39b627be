using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SymmetryLab.Numerics;

/// <summary>
/// The register tile's vector operations on the hardware vector types themselves (TB is
/// <see cref="Vector512{T}"/> or <see cref="Vector256{T}"/>, T float or double), for kernels whose
/// accumulators must stay bare: through a wrapper struct such as <see cref="Simd512{T}"/> the JIT
/// multiplied into a scratch register and moved the sum back after every other FMA, and loaded a vector
/// of W into a register where an FMA could read it from memory. The type tests are constants to the JIT,
/// so each helper compiles to one instruction.
/// </summary>
internal static class BareVector
{
    /// <summary>Lanes per vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Count<TB, T>() where T : unmanaged =>
        typeof(TB) == typeof(Vector512<T>) ? Vector512<T>.Count : Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TB Load<TB, T>(ref T source) where TB : struct where T : unmanaged
    {
        if (typeof(TB) == typeof(Vector512<T>))
        {
            var v = Vector512.LoadUnsafe(ref source);
            return Unsafe.As<Vector512<T>, TB>(ref v);
        }
        var w = Vector256.LoadUnsafe(ref source);
        return Unsafe.As<Vector256<T>, TB>(ref w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TB Broadcast<TB, T>(T value) where TB : struct where T : unmanaged
    {
        if (typeof(TB) == typeof(Vector512<T>))
        {
            var v = Vector512.Create(value);
            return Unsafe.As<Vector512<T>, TB>(ref v);
        }
        var w = Vector256.Create(value);
        return Unsafe.As<Vector256<T>, TB>(ref w);
    }

    /// <summary>x y + acc with one rounding, lane by lane (IEEE fusedMultiplyAdd, as the scalar T.FusedMultiplyAdd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TB MultiplyAdd<TB, T>(TB x, TB y, TB acc) where TB : struct where T : unmanaged
    {
        if (typeof(TB) == typeof(Vector512<float>))
        {
            var v = Vector512.FusedMultiplyAdd(Unsafe.As<TB, Vector512<float>>(ref x), Unsafe.As<TB, Vector512<float>>(ref y), Unsafe.As<TB, Vector512<float>>(ref acc));
            return Unsafe.As<Vector512<float>, TB>(ref v);
        }
        if (typeof(TB) == typeof(Vector512<double>))
        {
            var v = Vector512.FusedMultiplyAdd(Unsafe.As<TB, Vector512<double>>(ref x), Unsafe.As<TB, Vector512<double>>(ref y), Unsafe.As<TB, Vector512<double>>(ref acc));
            return Unsafe.As<Vector512<double>, TB>(ref v);
        }
        if (typeof(TB) == typeof(Vector256<float>))
        {
            var v = Vector256.FusedMultiplyAdd(Unsafe.As<TB, Vector256<float>>(ref x), Unsafe.As<TB, Vector256<float>>(ref y), Unsafe.As<TB, Vector256<float>>(ref acc));
            return Unsafe.As<Vector256<float>, TB>(ref v);
        }
        if (typeof(TB) == typeof(Vector256<double>))
        {
            var v = Vector256.FusedMultiplyAdd(Unsafe.As<TB, Vector256<double>>(ref x), Unsafe.As<TB, Vector256<double>>(ref y), Unsafe.As<TB, Vector256<double>>(ref acc));
            return Unsafe.As<Vector256<double>, TB>(ref v);
        }
        throw new NotSupportedException(typeof(TB).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TB, T>(TB value, ref T destination) where TB : struct where T : unmanaged
    {
        if (typeof(TB) == typeof(Vector512<T>)) Unsafe.As<TB, Vector512<T>>(ref value).StoreUnsafe(ref destination);
        else Unsafe.As<TB, Vector256<T>>(ref value).StoreUnsafe(ref destination);
    }
}
