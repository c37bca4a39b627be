using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
/// <see cref="Rows"/> rows of A runs over it. A group's rows are A's rows of like counts of nonzeros
/// (A's rows sorted by that count), so that their lists are of like lengths. Each row's nonzeros in the
/// slice are listed (the slab row and the value), a vector at a time (AVX-512's compress, or with AVX2
/// a permutation looked up by the vector's mask of nonzeros), the group's shorter lists padded with
/// (row 0, +0), one more zero term, and the group's lists interleaved step by step into one stream per
/// slice. A step loads, for each of the group's rows, the slab row its next nonzero names and adds
/// it (4 vectors) into that row's accumulators: 4 rows of 512-bit vectors (16 accumulators of 32
/// registers) or 3 rows of 256-bit ones (12 of 16). The dense product uses each loaded vector of W for
/// 6 or 8 rows and this one for one, so it pays only when few entries are nonzero (<see cref="WorthIt"/>).
/// AVX-512 or AVX2; elsewhere callers take <see cref="Gemm"/>, which gives the same bits.
/// </remarks>
internal sealed class SparseLeftProduct<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // 512-bit vectors where the machine has AVX-512, else 256-bit ones (AVX2).
    private static readonly bool Wide = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>Rows of A per group (one step of the lists): 4 with 512-bit vectors, 3 with 256-bit ones.</summary>
    public static int Rows => Wide ? 4 : 3;

    /// <summary>Lanes of T per vector.</summary>
    private static int Lanes => Wide ? Vector512<T>.Count : Vector256<T>.Count;

    /// <summary>At or below this fraction of nonzeros in A this product is the faster (compare's MNIST lines, 16-23% nonzero: about 0.6 of the dense product's time with AVX-512, measured before the lists became streams; with AVX2, on random A of 1024 x 512 by 512 x 512, 0.41-0.44 at 16%, 0.54-0.61 at 25%, 0.77-0.85 at 40%).</summary>
    public const double WorthIt = 0.25;

    /// <summary>Whether this machine runs it (AVX-512 or AVX2, T float or double).</summary>
    public static bool IsSupported => (Wide || Avx2.IsSupported && Vector256.IsHardwareAccelerated) && (typeof(T) == typeof(float) || typeof(T) == typeof(double));

    /// <summary>Columns of C per slab: four vectors.</summary>
    public static int Width => 4 * Lanes;

    /// <summary>Values of k per slab: 32 KiB of W^T (128 of float or double with 512-bit vectors, 256 with 256-bit ones).</summary>
    public static int SliceLength => 32768 / (Width * Unsafe.SizeOf<T>());

    /// <summary>Length of <see cref="Pack"/>'s result for an n x k W.</summary>
    public static int PackedLength(int n, int k) => (n + Width - 1) / Width * Width * k;

    /// <summary>
    /// Room for an n x k W packed, from a 64-byte boundary: every vector of a slab is then one cache line
    /// (a managed array starts wherever the heap puts it, and a split load costs two).
    /// </summary>
    public static ArraySegment<T> Allocate(int n, int k)
    {
        int length = PackedLength(n, k), size = Unsafe.SizeOf<T>();
        var array = GC.AllocateArray<T>(length + 64 / size, pinned: true);
        int start = (int)((64 - GemmBuffers<T>.Address(array) % 64) % 64) / size;
        return new ArraySegment<T>(array, start, length);
    }

    // The lists, as the tiles read them: for each slice, each group's steps one after the other, a step
    // being the group's Rows (offset, value) pairs. One stream per slice, read front to back.
    private int[] _offsets = [], _starts = [], _steps = [];
    // The rows in groups: A's rows ordered by their count of nonzeros (groups of like lengths pad little),
    // and where each group's rows start in C (or in the scratch tile).
    private int[] _order = [], _counts = [], _byCount = [], _rowAt = [], _tileAt = [];
    private T[] _values = [], _tile = [];
    // One group's rows listed apart before they are interleaved into the stream (a slice each, and a vector past it).
    private int[] _rowOffsets = [];
    private T[] _rowValues = [];

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
        if (Vector256.IsHardwareAccelerated)
            for (; i <= a.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                zeros += BitOperations.PopCount(Vector256.ExtractMostSignificantBits(Vector256.Equals(Vector256.Create(a.Slice(i, Vector256<T>.Count)), Vector256<T>.Zero)));
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
        if (!IsSupported) throw new PlatformNotSupportedException("the sparse product needs AVX-512 or AVX2");
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 0);
        if (a.Length < rows * k || c.Length < rows * n || packed.Length < PackedLength(n, k)) throw new ArgumentException("A, C or the packed W is too short");
        List(a, rows, k);
        Multiply(packed, rows, k, c, n);
    }

    /// <summary>
    /// Each group's nonzeros per slice, as one stream per slice (<see cref="_offsets"/>, <see cref="_values"/>):
    /// group g of slice s starts at <see cref="_starts"/>[s groups + g] and takes <see cref="_steps"/>[s groups + g]
    /// steps of <see cref="Rows"/> pairs (row q's next offset into the slab and value), the shorter lists
    /// padded with (0, +0). A tile then reads one sequential run, not a run per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void List(ReadOnlySpan<T> a, int rows, int k)
    {
        int groups = (rows + Rows - 1) / Rows, kc = SliceLength, slices = (k + kc - 1) / kc;
        // Room for a whole slice per row, and a vector past it: a row is listed a vector at a time
        // (at most 16 offsets, AVX-512's floats).
        int rowStride = kc + Vector512<int>.Count;
        if (_rowOffsets.Length < Rows * rowStride) (_rowOffsets, _rowValues) = (new int[Rows * rowStride], new T[Rows * rowStride]);
        // At most every entry of every group's rows, the last group's missing rows padded.
        long length = (long)groups * Rows * k;
        if (_offsets.Length < length) (_offsets, _values) = (new int[length], new T[length]);
        if (_steps.Length < groups * slices) (_steps, _starts) = (new int[groups * slices], new int[groups * slices]);
        ref T a0 = ref MemoryMarshal.GetReference(a);
        Order(ref a0, rows, k);
        ref int rowOffsets = ref MemoryMarshal.GetArrayDataReference(_rowOffsets);
        ref T rowValues = ref MemoryMarshal.GetArrayDataReference(_rowValues);
        ref int offsets = ref MemoryMarshal.GetArrayDataReference(_offsets);
        ref T values = ref MemoryMarshal.GetArrayDataReference(_values);
        Span<int> count = stackalloc int[Rows];
        int cursor = 0;
        for (int s = 0; s < slices; s++)
        {
            int p0 = s * kc, p1 = Math.Min(k, p0 + kc);
            for (int g = 0; g < groups; g++)
            {
                int most = 0;
                for (int q = 0; q < Rows; q++)
                {
                    int i = g * Rows + q;
                    count[q] = i < rows ? ListRow(ref Unsafe.Add(ref a0, _order[i] * k), p0, p1, q * rowStride) : 0;
                    most = Math.Max(most, count[q]);
                }
                _starts[s * groups + g] = cursor;
                _steps[s * groups + g] = most;
                for (int q = 0; q < Rows; q++)
                {
                    ref int from = ref Unsafe.Add(ref rowOffsets, q * rowStride);
                    ref T fromValue = ref Unsafe.Add(ref rowValues, q * rowStride);
                    int i = 0, at = cursor + q;
                    for (; i < count[q]; i++, at += Rows)
                    {
                        Unsafe.Add(ref offsets, at) = Unsafe.Add(ref from, i);
                        Unsafe.Add(ref values, at) = Unsafe.Add(ref fromValue, i);
                    }
                    for (; i < most; i++, at += Rows)
                    {
                        Unsafe.Add(ref offsets, at) = 0;
                        Unsafe.Add(ref values, at) = T.Zero;
                    }
                }
                cursor += most * Rows;
            }
        }
    }

    /// <summary>
    /// <see cref="_order"/>: A's rows by their count of nonzeros (a counting sort, stable). A group's
    /// step takes as long for each of its rows, so rows of like counts waste fewer steps on padding:
    /// on compare's MNIST lines 6.6% of the steps instead of 17.5% in A's own order. Each C[r, c] is
    /// still its own row's chain; only which rows share a tile changes.
    /// </summary>
    private void Order(ref T a0, int rows, int k)
    {
        if (_order.Length < rows) (_order, _counts) = (new int[rows], new int[rows]);
        if (_byCount.Length < k + 2) _byCount = new int[k + 2];
        var byCount = _byCount.AsSpan(0, k + 2);
        byCount.Clear();
        for (int r = 0; r < rows; r++)
        {
            _counts[r] = k - Zeros(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref a0, r * k), k));
            byCount[_counts[r] + 1]++;
        }
        // byCount[c] becomes where the rows of count c start.
        for (int c = 1; c < byCount.Length; c++) byCount[c] += byCount[c - 1];
        for (int r = 0; r < rows; r++) _order[byCount[_counts[r]]++] = r;
    }

    /// <summary>
    /// Row's nonzeros in [p0, p1) written from <paramref name="at"/>, a vector at a time with the
    /// nonzero lanes packed to the front (a whole vector is stored; the lanes past the nonzeros are
    /// overwritten by the next vector or lie past the list); how many.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ListRow(ref T row, int p0, int p1, int at)
    {
        int width = Width, found = 0, p = p0;
        ref int offsets = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rowOffsets), at);
        ref T values = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rowValues), at);
        if (!Wide)
        {
            // AVX2 has no compress: the mask of nonzero lanes picks a permutation that moves them to the
            // front (Front), applied to the values and to their slab offsets. Doubles as pairs of ints.
            int step = typeof(T) == typeof(float) ? 8 : 4;
            var offset = Vector256<int>.Indices * width;
            for (; p <= p1 - step; p += step, offset += Vector256.Create(step * width))
            {
                var v = Vector256.LoadUnsafe(ref row, (nuint)p);
                uint nonzero = ~Vector256.Equals(v, Vector256<T>.Zero).ExtractMostSignificantBits() & ((1u << step) - 1);
                var front = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(Front), (nuint)(8 * nonzero));
                if (typeof(T) == typeof(float))
                    Avx2.PermuteVar8x32(v.AsSingle(), front).As<float, T>().StoreUnsafe(ref values, (nuint)found);
                else
                    Avx2.PermuteVar8x32(v.AsInt32(), FrontPairs(front)).As<int, T>().StoreUnsafe(ref values, (nuint)found);
                Avx2.PermuteVar8x32(offset, front).StoreUnsafe(ref offsets, (nuint)found);
                found += BitOperations.PopCount(nonzero);
            }
        }
        else if (typeof(T) == typeof(float))
        {
            var step = Vector512.Create(16 * width);
            var offset = Vector512<int>.Indices * width;
            for (; p <= p1 - 16; p += 16, offset += step)
            {
                var v = Vector512.LoadUnsafe(ref Unsafe.As<T, float>(ref row), (nuint)p);
                var nonzero = ~Vector512.Equals(v, Vector512<float>.Zero);
                Avx512F.Compress(Vector512<float>.Zero, nonzero, v).StoreUnsafe(ref Unsafe.As<T, float>(ref values), (nuint)found);
                Avx512F.Compress(Vector512<int>.Zero, nonzero.AsInt32(), offset).StoreUnsafe(ref offsets, (nuint)found);
                found += BitOperations.PopCount(nonzero.ExtractMostSignificantBits());
            }
        }
        else
        {
            var step = Vector512.Create(8L * width);
            var offset = Vector512<long>.Indices * width;
            for (; p <= p1 - 8; p += 8, offset += step)
            {
                var v = Vector512.LoadUnsafe(ref Unsafe.As<T, double>(ref row), (nuint)p);
                var nonzero = ~Vector512.Equals(v, Vector512<double>.Zero);
                Avx512F.Compress(Vector512<double>.Zero, nonzero, v).StoreUnsafe(ref Unsafe.As<T, double>(ref values), (nuint)found);
                Avx512F.ConvertToVector256Int32(Avx512F.Compress(Vector512<long>.Zero, nonzero.AsInt64(), offset)).StoreUnsafe(ref offsets, (nuint)found);
                found += BitOperations.PopCount(nonzero.ExtractMostSignificantBits());
            }
        }
        for (; p < p1; p++)
        {
            if (Unsafe.Add(ref row, p) == T.Zero) continue;
            Unsafe.Add(ref offsets, found) = (p - p0) * width;
            Unsafe.Add(ref values, found++) = Unsafe.Add(ref row, p);
        }
        return found;
    }

    /// <summary>
    /// For each mask of 8 lanes, the lanes whose bit is set, in order, then zeros: the permutation that
    /// packs a vector's nonzeros to its front (AVX2's stand-in for compress).
    /// </summary>
    private static readonly int[] Front = MakeFront();

    private static int[] MakeFront()
    {
        var front = new int[256 * 8];
        for (int mask = 0; mask < 256; mask++)
            for (int lane = 0, at = 0; lane < 8; lane++)
                if ((mask >> lane & 1) != 0) front[mask * 8 + at++] = lane;
        return front;
    }

    /// <summary>The permutation of 4 lanes of doubles (first 4 of <paramref name="front"/>) as one of 8 int lanes: lane i to 2i, 2i + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> FrontPairs(Vector256<int> front)
    {
        var twice = Avx2.PermuteVar8x32(front, Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3)) * 2;
        return twice + Vector256.Create(0, 1, 0, 1, 0, 1, 0, 1);
    }

    private void Multiply(ReadOnlySpan<T> packed, int rows, int k, Span<T> c, int n)
    {
        int groups = (rows + Rows - 1) / Rows, fullGroups = rows / Rows, kc = SliceLength, slices = (k + kc - 1) / kc, width = Width;
        int blocks = (n + width - 1) / width, fullBlocks = n / width;
        if (_tile.Length < Rows * width) (_tile, _tileAt) = (new T[Rows * width], [.. Enumerable.Range(0, Rows).Select(q => q * width)]);
        if (_rowAt.Length < groups * Rows) _rowAt = new int[groups * Rows];
        for (int i = 0; i < rows; i++) _rowAt[i] = _order[i] * n;
        ref int rowAt = ref MemoryMarshal.GetArrayDataReference(_rowAt);
        ref int tileAt = ref MemoryMarshal.GetArrayDataReference(_tileAt);
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
                        Tile(ref Unsafe.Add(ref block, s * kc * width), s * groups + g, ref Unsafe.Add(ref c0, j * width), ref Unsafe.Add(ref rowAt, g * Rows), s > 0);
            // Edge tiles (past the last whole group of rows or block of columns) into a scratch tile, then their valid part.
            for (int g = j < fullBlocks ? fullGroups : 0; g < groups; g++)
            {
                for (int s = 0; s < slices; s++)
                    Tile(ref Unsafe.Add(ref block, s * kc * width), s * groups + g, ref tile, ref tileAt, s > 0);
                int validRows = Math.Min(Rows, rows - g * Rows), validColumns = Math.Min(width, n - j * width);
                for (int q = 0; q < validRows; q++)
                    for (int col = 0; col < validColumns; col++)
                        Unsafe.Add(ref c0, _rowAt[g * Rows + q] + j * width + col) = Unsafe.Add(ref tile, q * width + col);
            }
        }
    }

    /// <summary>One group's rows by one block's columns over one slice: row q of the tile at c + rowAt[q].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Tile(ref T slab, int list, ref T c, ref int rowAt, bool accumulate)
    {
        if (Wide) Tile4(ref slab, list, ref c, ref rowAt, accumulate);
        else Tile3(ref slab, list, ref c, ref rowAt, accumulate);
    }

    /// <summary>4 rows of 512-bit vectors: accumulators s_qv for row q, vector v.</summary>
    /// <remarks>On bare Vector512 values (<see cref="BareVector"/>): one FMA per multiply-add, reading W from memory.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void Tile4(ref T slab, int list, ref T c0, ref int rowAt, bool accumulate)
    {
        int lanes = Vector512<T>.Count;
        ref T c = ref Unsafe.Add(ref c0, rowAt);
        ref T c1 = ref Unsafe.Add(ref c0, Unsafe.Add(ref rowAt, 1));
        ref T c2 = ref Unsafe.Add(ref c0, Unsafe.Add(ref rowAt, 2));
        ref T c3 = ref Unsafe.Add(ref c0, Unsafe.Add(ref rowAt, 3));
        Vector512<T> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<T> s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        if (accumulate)
        {
            s00 = Vector512.LoadUnsafe(ref c); s01 = Vector512.LoadUnsafe(ref c, (nuint)lanes);
            s02 = Vector512.LoadUnsafe(ref c, (nuint)(2 * lanes)); s03 = Vector512.LoadUnsafe(ref c, (nuint)(3 * lanes));
            s10 = Vector512.LoadUnsafe(ref c1); s11 = Vector512.LoadUnsafe(ref c1, (nuint)lanes);
            s12 = Vector512.LoadUnsafe(ref c1, (nuint)(2 * lanes)); s13 = Vector512.LoadUnsafe(ref c1, (nuint)(3 * lanes));
            s20 = Vector512.LoadUnsafe(ref c2); s21 = Vector512.LoadUnsafe(ref c2, (nuint)lanes);
            s22 = Vector512.LoadUnsafe(ref c2, (nuint)(2 * lanes)); s23 = Vector512.LoadUnsafe(ref c2, (nuint)(3 * lanes));
            s30 = Vector512.LoadUnsafe(ref c3); s31 = Vector512.LoadUnsafe(ref c3, (nuint)lanes);
            s32 = Vector512.LoadUnsafe(ref c3, (nuint)(2 * lanes)); s33 = Vector512.LoadUnsafe(ref c3, (nuint)(3 * lanes));
        }
        ref int offset = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_offsets), _starts[list]);
        ref T value = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_values), _starts[list]);
        for (int step = _steps[list]; step > 0; step--)
        {
            var x0 = Vector512.Create(Unsafe.Add(ref value, 0));
            ref T w0 = ref Unsafe.Add(ref slab, Unsafe.Add(ref offset, 0));
            s00 = AddProduct(x0, ref w0, 0, s00); s01 = AddProduct(x0, ref w0, 1, s01);
            s02 = AddProduct(x0, ref w0, 2, s02); s03 = AddProduct(x0, ref w0, 3, s03);
            var x1 = Vector512.Create(Unsafe.Add(ref value, 1));
            ref T w1 = ref Unsafe.Add(ref slab, Unsafe.Add(ref offset, 1));
            s10 = AddProduct(x1, ref w1, 0, s10); s11 = AddProduct(x1, ref w1, 1, s11);
            s12 = AddProduct(x1, ref w1, 2, s12); s13 = AddProduct(x1, ref w1, 3, s13);
            var x2 = Vector512.Create(Unsafe.Add(ref value, 2));
            ref T w2 = ref Unsafe.Add(ref slab, Unsafe.Add(ref offset, 2));
            s20 = AddProduct(x2, ref w2, 0, s20); s21 = AddProduct(x2, ref w2, 1, s21);
            s22 = AddProduct(x2, ref w2, 2, s22); s23 = AddProduct(x2, ref w2, 3, s23);
            var x3 = Vector512.Create(Unsafe.Add(ref value, 3));
            ref T w3 = ref Unsafe.Add(ref slab, Unsafe.Add(ref offset, 3));
            s30 = AddProduct(x3, ref w3, 0, s30); s31 = AddProduct(x3, ref w3, 1, s31);
            s32 = AddProduct(x3, ref w3, 2, s32); s33 = AddProduct(x3, ref w3, 3, s33);
            offset = ref Unsafe.Add(ref offset, 4);
            value = ref Unsafe.Add(ref value, 4);
        }
        s00.StoreUnsafe(ref c); s01.StoreUnsafe(ref c, (nuint)lanes);
        s02.StoreUnsafe(ref c, (nuint)(2 * lanes)); s03.StoreUnsafe(ref c, (nuint)(3 * lanes));
        s10.StoreUnsafe(ref c1); s11.StoreUnsafe(ref c1, (nuint)lanes);
        s12.StoreUnsafe(ref c1, (nuint)(2 * lanes)); s13.StoreUnsafe(ref c1, (nuint)(3 * lanes));
        s20.StoreUnsafe(ref c2); s21.StoreUnsafe(ref c2, (nuint)lanes);
        s22.StoreUnsafe(ref c2, (nuint)(2 * lanes)); s23.StoreUnsafe(ref c2, (nuint)(3 * lanes));
        s30.StoreUnsafe(ref c3); s31.StoreUnsafe(ref c3, (nuint)lanes);
        s32.StoreUnsafe(ref c3, (nuint)(2 * lanes)); s33.StoreUnsafe(ref c3, (nuint)(3 * lanes));
    }

    /// <summary>3 rows of 256-bit vectors (12 accumulators of AVX2's 16 registers), as <see cref="Tile4"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void Tile3(ref T slab, int list, ref T c0, ref int rowAt, bool accumulate)
    {
        int lanes = Vector256<T>.Count;
        ref T c = ref Unsafe.Add(ref c0, rowAt);
        ref T c1 = ref Unsafe.Add(ref c0, Unsafe.Add(ref rowAt, 1));
        ref T c2 = ref Unsafe.Add(ref c0, Unsafe.Add(ref rowAt, 2));
        Vector256<T> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        Vector256<T> s20 = default, s21 = default, s22 = default, s23 = default;
        if (accumulate)
        {
            s00 = Vector256.LoadUnsafe(ref c); s01 = Vector256.LoadUnsafe(ref c, (nuint)lanes);
            s02 = Vector256.LoadUnsafe(ref c, (nuint)(2 * lanes)); s03 = Vector256.LoadUnsafe(ref c, (nuint)(3 * lanes));
            s10 = Vector256.LoadUnsafe(ref c1); s11 = Vector256.LoadUnsafe(ref c1, (nuint)lanes);
            s12 = Vector256.LoadUnsafe(ref c1, (nuint)(2 * lanes)); s13 = Vector256.LoadUnsafe(ref c1, (nuint)(3 * lanes));
            s20 = Vector256.LoadUnsafe(ref c2); s21 = Vector256.LoadUnsafe(ref c2, (nuint)lanes);
            s22 = Vector256.LoadUnsafe(ref c2, (nuint)(2 * lanes)); s23 = Vector256.LoadUnsafe(ref c2, (nuint)(3 * lanes));
        }
        ref int offset = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_offsets), _starts[list]);
        ref T value = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_values), _starts[list]);
        for (int step = _steps[list]; step > 0; step--)
        {
            var x0 = Vector256.Create(value);
            ref T w0 = ref Unsafe.Add(ref slab, offset);
            s00 = AddProduct(x0, ref w0, 0, s00); s01 = AddProduct(x0, ref w0, 1, s01);
            s02 = AddProduct(x0, ref w0, 2, s02); s03 = AddProduct(x0, ref w0, 3, s03);
            var x1 = Vector256.Create(Unsafe.Add(ref value, 1));
            ref T w1 = ref Unsafe.Add(ref slab, Unsafe.Add(ref offset, 1));
            s10 = AddProduct(x1, ref w1, 0, s10); s11 = AddProduct(x1, ref w1, 1, s11);
            s12 = AddProduct(x1, ref w1, 2, s12); s13 = AddProduct(x1, ref w1, 3, s13);
            var x2 = Vector256.Create(Unsafe.Add(ref value, 2));
            ref T w2 = ref Unsafe.Add(ref slab, Unsafe.Add(ref offset, 2));
            s20 = AddProduct(x2, ref w2, 0, s20); s21 = AddProduct(x2, ref w2, 1, s21);
            s22 = AddProduct(x2, ref w2, 2, s22); s23 = AddProduct(x2, ref w2, 3, s23);
            offset = ref Unsafe.Add(ref offset, 3);
            value = ref Unsafe.Add(ref value, 3);
        }
        s00.StoreUnsafe(ref c); s01.StoreUnsafe(ref c, (nuint)lanes);
        s02.StoreUnsafe(ref c, (nuint)(2 * lanes)); s03.StoreUnsafe(ref c, (nuint)(3 * lanes));
        s10.StoreUnsafe(ref c1); s11.StoreUnsafe(ref c1, (nuint)lanes);
        s12.StoreUnsafe(ref c1, (nuint)(2 * lanes)); s13.StoreUnsafe(ref c1, (nuint)(3 * lanes));
        s20.StoreUnsafe(ref c2); s21.StoreUnsafe(ref c2, (nuint)lanes);
        s22.StoreUnsafe(ref c2, (nuint)(2 * lanes)); s23.StoreUnsafe(ref c2, (nuint)(3 * lanes));
    }

    /// <summary>acc + x times the v-th vector at w, one rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> AddProduct(Vector512<T> x, ref T w, int v, Vector512<T> acc) =>
        BareVector.MultiplyAdd<Vector512<T>, T>(x, Vector512.LoadUnsafe(ref w, (nuint)(v * Vector512<T>.Count)), acc);

    /// <summary>acc + x times the v-th vector at w, one rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> AddProduct(Vector256<T> x, ref T w, int v, Vector256<T> acc) =>
        BareVector.MultiplyAdd<Vector256<T>, T>(x, Vector256.LoadUnsafe(ref w, (nuint)(v * Vector256<T>.Count)), acc);
}
