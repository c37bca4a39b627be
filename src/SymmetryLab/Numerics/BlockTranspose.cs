using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SymmetryLab.Numerics;

/// <summary>
/// Transposes a block of up to one 256-bit vector's count of rows, a vector per row (8 x 8 floats,
/// 4 x 4 doubles, or fewer rows), with AVX shuffles: dst[c * dstStride + r] = src[r * srcStride + c]
/// for r &lt; rows. Packing uses it to turn rows of W (or of A) into the column-major panels of the
/// product at a vector per row instead of an element at a time. It only moves values: rows past
/// <c>rows</c> are neither read nor written.
/// </summary>
internal static class BlockTranspose
{
    /// <summary>Whether <c>Run</c> works for T here (AVX; float or double).</summary>
    public static bool IsSupported<T>() => Avx.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double));

    /// <summary>The block's side: the number of T in a 256-bit vector.</summary>
    public static int Size<T>() where T : unmanaged => Vector256<T>.Count;

    /// <summary>The whole square block: <see cref="Size{T}"/> rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T>(ref T src, int srcStride, ref T dst, int dstStride) where T : unmanaged =>
        Run(ref src, srcStride, ref dst, dstStride, Size<T>());

    /// <summary>The first <paramref name="rows"/> (1 to <see cref="Size{T}"/>) rows of the block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<T>(ref T src, int srcStride, ref T dst, int dstStride, int rows) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Floats(ref Unsafe.As<T, float>(ref src), srcStride, ref Unsafe.As<T, float>(ref dst), dstStride, rows);
        else if (typeof(T) == typeof(double))
            Doubles(ref Unsafe.As<T, double>(ref src), srcStride, ref Unsafe.As<T, double>(ref dst), dstStride, rows);
        else
            throw new NotSupportedException(typeof(T).Name);
    }

    // Row r of the block, or zeros past the rows asked for (their lanes are never stored).
    private static Vector256<T> Row<T>(ref T s, int ss, int r, int rows) where T : unmanaged =>
        r < rows ? Vector256.LoadUnsafe(ref Unsafe.Add(ref s, r * ss)) : Vector256<T>.Zero;

    // The first count lanes of v at d: 128 bits of the lower half, then 64 bits of what follows (6 rows
    // of floats: 4 + 2 lanes), then one lane. Whole stores from registers: reading lanes by a variable
    // index made the JIT write the vector to the stack and load it back a lane at a time.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector256<T> v, ref T d, int count) where T : unmanaged
    {
        if (count == Vector256<T>.Count)
        {
            v.StoreUnsafe(ref d);
            return;
        }
        var half = v.GetLower();
        if (count >= Vector128<T>.Count)
        {
            half.StoreUnsafe(ref d);
            d = ref Unsafe.Add(ref d, Vector128<T>.Count);
            count -= Vector128<T>.Count;
            half = v.GetUpper();
        }
        int pair = 8 / Unsafe.SizeOf<T>();
        if (count >= pair)
        {
            Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref d), half.AsUInt64().ToScalar());
            d = ref Unsafe.Add(ref d, pair);
            count -= pair;
            half = Vector128.Shuffle(half.AsUInt64(), Vector128.Create(1ul, 1ul)).As<ulong, T>();
        }
        if (count > 0) d = half.ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Floats(ref float s, int ss, ref float d, int ds, int rows)
    {
        var r0 = Row(ref s, ss, 0, rows);
        var r1 = Row(ref s, ss, 1, rows);
        var r2 = Row(ref s, ss, 2, rows);
        var r3 = Row(ref s, ss, 3, rows);
        var r4 = Row(ref s, ss, 4, rows);
        var r5 = Row(ref s, ss, 5, rows);
        var r6 = Row(ref s, ss, 6, rows);
        var r7 = Row(ref s, ss, 7, rows);
        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Store(Avx.Permute2x128(u0, u4, 0x20), ref d, rows);
        Store(Avx.Permute2x128(u1, u5, 0x20), ref Unsafe.Add(ref d, ds), rows);
        Store(Avx.Permute2x128(u2, u6, 0x20), ref Unsafe.Add(ref d, 2 * ds), rows);
        Store(Avx.Permute2x128(u3, u7, 0x20), ref Unsafe.Add(ref d, 3 * ds), rows);
        Store(Avx.Permute2x128(u0, u4, 0x31), ref Unsafe.Add(ref d, 4 * ds), rows);
        Store(Avx.Permute2x128(u1, u5, 0x31), ref Unsafe.Add(ref d, 5 * ds), rows);
        Store(Avx.Permute2x128(u2, u6, 0x31), ref Unsafe.Add(ref d, 6 * ds), rows);
        Store(Avx.Permute2x128(u3, u7, 0x31), ref Unsafe.Add(ref d, 7 * ds), rows);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Doubles(ref double s, int ss, ref double d, int ds, int rows)
    {
        var r0 = Row(ref s, ss, 0, rows);
        var r1 = Row(ref s, ss, 1, rows);
        var r2 = Row(ref s, ss, 2, rows);
        var r3 = Row(ref s, ss, 3, rows);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        Store(Avx.Permute2x128(t0, t2, 0x20), ref d, rows);
        Store(Avx.Permute2x128(t1, t3, 0x20), ref Unsafe.Add(ref d, ds), rows);
        Store(Avx.Permute2x128(t0, t2, 0x31), ref Unsafe.Add(ref d, 2 * ds), rows);
        Store(Avx.Permute2x128(t1, t3, 0x31), ref Unsafe.Add(ref d, 3 * ds), rows);
    }
}
