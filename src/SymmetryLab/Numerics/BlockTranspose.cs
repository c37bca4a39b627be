using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SymmetryLab.Numerics;

/// <summary>
/// Transposes a square block of one 256-bit vector per row (8 x 8 floats, 4 x 4 doubles) with AVX
/// shuffles: dst[c * dstStride + r] = src[r * srcStride + c]. Packing uses it to turn rows of W
/// (or of A) into the column-major panels of the product at a vector per row instead of an element
/// at a time. It only moves values.
/// </summary>
internal static class BlockTranspose
{
    /// <summary>Whether <see cref="Run{T}"/> works for T here (AVX; float or double).</summary>
    public static bool IsSupported<T>() => Avx.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double));

    /// <summary>The block's side: the number of T in a 256-bit vector.</summary>
    public static int Size<T>() where T : unmanaged => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T>(ref T src, int srcStride, ref T dst, int dstStride) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Floats(ref Unsafe.As<T, float>(ref src), srcStride, ref Unsafe.As<T, float>(ref dst), dstStride);
        else if (typeof(T) == typeof(double))
            Doubles(ref Unsafe.As<T, double>(ref src), srcStride, ref Unsafe.As<T, double>(ref dst), dstStride);
        else
            throw new NotSupportedException(typeof(T).Name);
    }

    private static void Floats(ref float s, int ss, ref float d, int ds)
    {
        var r0 = Vector256.LoadUnsafe(ref s);
        var r1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, ss));
        var r2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 2 * ss));
        var r3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 3 * ss));
        var r4 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 4 * ss));
        var r5 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 5 * ss));
        var r6 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 6 * ss));
        var r7 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 7 * ss));
        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref d);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, ds));
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, 2 * ds));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, 3 * ds));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 4 * ds));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 5 * ds));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 6 * ds));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 7 * ds));
    }

    private static void Doubles(ref double s, int ss, ref double d, int ds)
    {
        var r0 = Vector256.LoadUnsafe(ref s);
        var r1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, ss));
        var r2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 2 * ss));
        var r3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, 3 * ss));
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        Avx.Permute2x128(t0, t2, 0x20).StoreUnsafe(ref d);
        Avx.Permute2x128(t1, t3, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, ds));
        Avx.Permute2x128(t0, t2, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 2 * ds));
        Avx.Permute2x128(t1, t3, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 3 * ds));
    }
}
