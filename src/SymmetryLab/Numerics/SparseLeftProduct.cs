using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SymmetryLab.Numerics;

/// <summary>
/// C = A W^T (A rows x k, W n x k, C rows x n, all row-major) for an A that is mostly exact zeros, as
/// a ReLU layer's output is (75-85% of the hidden activations of compare's MNIST networks), with the
/// bits of <see cref="Gemm"/>: each C[r, c] is the same chain of FMAs in increasing k from +0, less the
/// terms whose A[r, p] is ±0. Leaving those out changes no bit when W is finite: FMA(±0, w, s) = s for
/// s ≠ 0, and +0 for s = +0; the chain never holds -0 (it starts at +0, and an exact zero sum rounds
/// to +0).
/// </summary>
/// <remarks>
/// W^T is packed once (<see cref="Pack"/>) into slabs of <see cref="SliceLength"/> values of k by
/// <see cref="Width"/> columns (32 KiB), each of which stays in L1 while every group of
/// <see cref="Rows"/> rows of A runs over it. A group's nonzeros in the slice are listed step by step,
/// its rows side by side, the shorter lists padded with (row 0, +0): one more zero term. A step loads, for
/// each row, the slab's row that its nonzero names and adds it (4 vectors) into the row's accumulators.
/// The dense product uses each loaded vector of W for 8 rows, and this one for one, so it pays only when
/// few entries are nonzero (<see cref="WorthIt"/>). AVX-512 only; elsewhere callers take
/// <see cref="Gemm"/>, which gives the same bits.
/// </remarks>
internal sealed class SparseLeftProduct<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows of A per group (one step of the lists).</summary>
    public const int Rows = 4;

    /// <summary>At or below this fraction of nonzeros in A this product is faster than the dense one (measured: 0.53 of its time at 16%).</summary>
    public const double WorthIt = 0.25;

    /// <summary>Whether this machine runs it (512-bit vectors, T float or double).</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double));

    /// <summary>Columns of C per slab: four vectors.</summary>
    public static int Width => 4 * Vector512<T>.Count;

    /// <summary>Values of k per slab: 32 KiB of W^T (128 for float and double).</summary>
    public static int SliceLength => 32768 / (Width * Unsafe.SizeOf<T>());

    /// <summary>Length of <see cref="Pack"/>'s result for an n x k W.</summary>
    public static int PackedLength(int n, int k) => (n + Width - 1) / Width * Width * k;

    private int[] _offsets = [], _start = [], _steps = [];
    private T[] _values = [], _tile = [];

    /// <summary>
    /// W^T in slabs: column block j, then k, then the block's <see cref="Width"/> columns (zero past n),
    /// so that slice s of block j is the contiguous run starting at (j k + s <see cref="SliceLength"/>) <see cref="Width"/>.
    /// </summary>
    public static void Pack(ReadOnlySpan<T> w, int n, int k, Span<T> into)
    {
        int width = Width;
        if (w.Length < n * k || into.Length < PackedLength(n, k)) throw new ArgumentException("W or its packed form is too short");
        for (int j0 = 0; j0 < n; j0 += width)
        {
            var block = into.Slice(j0 * k, width * k);
            int columns = Math.Min(width, n - j0);
            if (columns < width) block.Clear();
            for (int c = 0; c < columns; c++)
            {
                var row = w.Slice((j0 + c) * k, k);
                for (int p = 0; p < k; p++) block[p * width + c] = row[p];
            }
        }
    }

    /// <summary>The fraction of <paramref name="a"/>'s entries that are not ±0.</summary>
    public static double Density(ReadOnlySpan<T> a) => a.Length == 0 ? 0 : (double)(a.Length - Zeros(a)) / a.Length;

    private static int Zeros(ReadOnlySpan<T> a)
    {
        int zeros = 0, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= a.Length - Vector512<T>.Count; i += Vector512<T>.Count)
                zeros += BitOperations.PopCount(Vector512.ExtractMostSignificantBits(Vector512.Equals(Vector512.Create(a.Slice(i, Vector512<T>.Count)), Vector512<T>.Zero)));
        for (; i < a.Length; i++)
            if (a[i] == T.Zero) zeros++;
        return zeros;
    }

    /// <summary>
    /// C (rows x n, row stride n) = A W^T, A rows x k row-major, from W^T packed by <see cref="Pack"/>.
    /// W must be finite (a zero of A leaves out what an infinity would have made NaN).
    /// </summary>
    public void Run(ReadOnlySpan<T> packed, ReadOnlySpan<T> a, int rows, int k, Span<T> c, int n)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("the sparse product needs 512-bit vectors");
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 0);
        if (a.Length < rows * k || c.Length < rows * n || packed.Length < PackedLength(n, k)) throw new ArgumentException("A, C or the packed W is too short");
        List(a, rows, k);
        Multiply(packed, rows, k, c, n);
    }

    /// <summary>Each group's nonzeros per slice, step-major: entry (step s, row q) at start + s Rows + q; the offset is into the slab.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void List(ReadOnlySpan<T> a, int rows, int k)
    {
        int groups = (rows + Rows - 1) / Rows, kc = SliceLength, slices = (k + kc - 1) / kc, width = Width, lanes = Vector512<T>.Count;
        if (_offsets.Length < groups * Rows * k) (_offsets, _values) = (new int[groups * Rows * k], new T[groups * Rows * k]);
        if (_start.Length < groups * slices) (_start, _steps) = (new int[groups * slices], new int[groups * slices]);
        ref int offsets = ref MemoryMarshal.GetArrayDataReference(_offsets);
        ref T values = ref MemoryMarshal.GetArrayDataReference(_values);
        ref T a0 = ref MemoryMarshal.GetReference(a);
        Span<int> count = stackalloc int[Rows];
        int at = 0;
        for (int s = 0; s < slices; s++)
        {
            int p0 = s * kc, p1 = Math.Min(k, p0 + kc);
            for (int g = 0; g < groups; g++)
            {
                int most = 0;
                for (int q = 0; q < Rows; q++)
                {
                    int r = g * Rows + q, found = 0;
                    if (r < rows)
                    {
                        ref T row = ref Unsafe.Add(ref a0, r * k);
                        int p = p0;
                        for (; p <= p1 - lanes; p += lanes)
                        {
                            ulong nonzero = ~Vector512.ExtractMostSignificantBits(Vector512.Equals(Vector512.LoadUnsafe(ref row, (nuint)p), Vector512<T>.Zero));
                            nonzero &= (1UL << lanes) - 1;
                            for (; nonzero != 0; nonzero &= nonzero - 1)
                            {
                                int i = p + BitOperations.TrailingZeroCount(nonzero), e = at + found++ * Rows + q;
                                Unsafe.Add(ref offsets, e) = (i - p0) * width;
                                Unsafe.Add(ref values, e) = Unsafe.Add(ref row, i);
                            }
                        }
                        for (; p < p1; p++)
                        {
                            if (Unsafe.Add(ref row, p) == T.Zero) continue;
                            int e = at + found++ * Rows + q;
                            Unsafe.Add(ref offsets, e) = (p - p0) * width;
                            Unsafe.Add(ref values, e) = Unsafe.Add(ref row, p);
                        }
                    }
                    count[q] = found;
                    most = Math.Max(most, found);
                }
                for (int q = 0; q < Rows; q++)
                    for (int step = count[q]; step < most; step++)
                    {
                        Unsafe.Add(ref offsets, at + step * Rows + q) = 0;
                        Unsafe.Add(ref values, at + step * Rows + q) = T.Zero;
                    }
                _start[s * groups + g] = at;
                _steps[s * groups + g] = most;
                at += most * Rows;
            }
        }
    }

    private void Multiply(ReadOnlySpan<T> packed, int rows, int k, Span<T> c, int n)
    {
        int groups = (rows + Rows - 1) / Rows, fullGroups = rows / Rows, kc = SliceLength, slices = (k + kc - 1) / kc, width = Width;
        int blocks = (n + width - 1) / width, fullBlocks = n / width;
        if (_tile.Length < Rows * width) _tile = new T[Rows * width];
        ref T w0 = ref MemoryMarshal.GetReference(packed);
        ref T c0 = ref MemoryMarshal.GetReference(c);
        ref T tile = ref MemoryMarshal.GetArrayDataReference(_tile);
        for (int j = 0; j < blocks; j++)
        {
            ref T block = ref Unsafe.Add(ref w0, j * k * width);
            // Whole tiles straight into C, a slab at a time over every group (the slab stays in L1).
            if (j < fullBlocks)
                for (int s = 0; s < slices; s++)
                    for (int g = 0; g < fullGroups; g++)
                        Tile(ref Unsafe.Add(ref block, s * kc * width), s * groups + g, ref Unsafe.Add(ref c0, g * Rows * n + j * width), n, s > 0);
            // Edge tiles (past the last whole group of rows or block of columns) into a scratch tile, then their valid part.
            for (int g = j < fullBlocks ? fullGroups : 0; g < groups; g++)
            {
                for (int s = 0; s < slices; s++)
                    Tile(ref Unsafe.Add(ref block, s * kc * width), s * groups + g, ref tile, width, s > 0);
                int validRows = Math.Min(Rows, rows - g * Rows), validColumns = Math.Min(width, n - j * width);
                for (int q = 0; q < validRows; q++)
                    for (int col = 0; col < validColumns; col++)
                        Unsafe.Add(ref c0, (g * Rows + q) * n + j * width + col) = Unsafe.Add(ref tile, q * width + col);
            }
        }
    }

    /// <summary>One group's rows by one block's columns over one slice: accumulators s_qv for row q, vector v.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void Tile(ref T slab, int list, ref T c, int ldc, bool accumulate)
    {
        int lanes = Simd512<T>.Count;
        ref T c1 = ref Unsafe.Add(ref c, ldc);
        ref T c2 = ref Unsafe.Add(ref c, 2 * ldc);
        ref T c3 = ref Unsafe.Add(ref c, 3 * ldc);
        Simd512<T> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        Simd512<T> s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        if (accumulate)
        {
            s00 = Simd512<T>.Load(ref c); s01 = Simd512<T>.Load(ref Unsafe.Add(ref c, lanes)); s02 = Simd512<T>.Load(ref Unsafe.Add(ref c, 2 * lanes)); s03 = Simd512<T>.Load(ref Unsafe.Add(ref c, 3 * lanes));
            s10 = Simd512<T>.Load(ref c1); s11 = Simd512<T>.Load(ref Unsafe.Add(ref c1, lanes)); s12 = Simd512<T>.Load(ref Unsafe.Add(ref c1, 2 * lanes)); s13 = Simd512<T>.Load(ref Unsafe.Add(ref c1, 3 * lanes));
            s20 = Simd512<T>.Load(ref c2); s21 = Simd512<T>.Load(ref Unsafe.Add(ref c2, lanes)); s22 = Simd512<T>.Load(ref Unsafe.Add(ref c2, 2 * lanes)); s23 = Simd512<T>.Load(ref Unsafe.Add(ref c2, 3 * lanes));
            s30 = Simd512<T>.Load(ref c3); s31 = Simd512<T>.Load(ref Unsafe.Add(ref c3, lanes)); s32 = Simd512<T>.Load(ref Unsafe.Add(ref c3, 2 * lanes)); s33 = Simd512<T>.Load(ref Unsafe.Add(ref c3, 3 * lanes));
        }
        ref int offset = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_offsets), _start[list]);
        ref T value = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_values), _start[list]);
        for (int step = _steps[list]; step > 0; step--)
        {
            var x = Simd512<T>.Broadcast(value);
            ref T w = ref Unsafe.Add(ref slab, offset);
            s00 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref w), s00); s01 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref Unsafe.Add(ref w, lanes)), s01);
            s02 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref Unsafe.Add(ref w, 2 * lanes)), s02); s03 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref Unsafe.Add(ref w, 3 * lanes)), s03);
            x = Simd512<T>.Broadcast(Unsafe.Add(ref value, 1));
            w = ref Unsafe.Add(ref slab, Unsafe.Add(ref offset, 1));
            s10 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref w), s10); s11 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref Unsafe.Add(ref w, lanes)), s11);
            s12 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref Unsafe.Add(ref w, 2 * lanes)), s12); s13 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref Unsafe.Add(ref w, 3 * lanes)), s13);
            x = Simd512<T>.Broadcast(Unsafe.Add(ref value, 2));
            w = ref Unsafe.Add(ref slab, Unsafe.Add(ref offset, 2));
            s20 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref w), s20); s21 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref Unsafe.Add(ref w, lanes)), s21);
            s22 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref Unsafe.Add(ref w, 2 * lanes)), s22); s23 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref Unsafe.Add(ref w, 3 * lanes)), s23);
            x = Simd512<T>.Broadcast(Unsafe.Add(ref value, 3));
            w = ref Unsafe.Add(ref slab, Unsafe.Add(ref offset, 3));
            s30 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref w), s30); s31 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref Unsafe.Add(ref w, lanes)), s31);
            s32 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref Unsafe.Add(ref w, 2 * lanes)), s32); s33 = Simd512<T>.MultiplyAdd(x, Simd512<T>.Load(ref Unsafe.Add(ref w, 3 * lanes)), s33);
            offset = ref Unsafe.Add(ref offset, Rows);
            value = ref Unsafe.Add(ref value, Rows);
        }
        s00.Store(ref c); s01.Store(ref Unsafe.Add(ref c, lanes)); s02.Store(ref Unsafe.Add(ref c, 2 * lanes)); s03.Store(ref Unsafe.Add(ref c, 3 * lanes));
        s10.Store(ref c1); s11.Store(ref Unsafe.Add(ref c1, lanes)); s12.Store(ref Unsafe.Add(ref c1, 2 * lanes)); s13.Store(ref Unsafe.Add(ref c1, 3 * lanes));
        s20.Store(ref c2); s21.Store(ref Unsafe.Add(ref c2, lanes)); s22.Store(ref Unsafe.Add(ref c2, 2 * lanes)); s23.Store(ref Unsafe.Add(ref c2, 3 * lanes));
        s30.Store(ref c3); s31.Store(ref Unsafe.Add(ref c3, lanes)); s32.Store(ref Unsafe.Add(ref c3, 2 * lanes)); s33.Store(ref Unsafe.Add(ref c3, 3 * lanes));
    }
}
