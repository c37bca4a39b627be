using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Numerics;

/// <summary>
/// The matrix-product kernels against a plain triple loop doing the promised arithmetic,
/// C[r, c] = FMA(A[r, k-1], B[k-1, c], ... FMA(A[r, 0], B[0, c], +0)), bit for bit, on odd sizes,
/// with every stride layout the engine uses (A or A^T, B or B^T) and both paths.
/// </summary>
public class GemmKernelTests
{
    private static readonly int[] Odd = [1, 3, 15, 25, 33, 257];

    public static TheoryData<int, int, int, bool, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, bool, bool>();
        foreach (var m in Odd)
            foreach (var n in Odd)
                foreach (var k in new[] { 1, 3, 33, 257, 600 })
                {
                    if ((long)m * n * k > 4_000_000) continue;
                    // Cycle through the four layouts rather than multiply the case count by four.
                    int layout = (m + 3 * n + 7 * k) % 4;
                    data.Add(m, n, k, (layout & 1) != 0, (layout & 2) != 0);
                }
        data.Add(5, 2100, 7, false, true); // more than one block of columns
        data.Add(300, 40, 20, true, false); // more than one block of rows
        return data;
    }

    private static T[] Random<T>(int length, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, length).Select(_ => T.CreateChecked(rng.NextNormal())).ToArray();
    }

    /// <summary>A (m x k) and B (k x n), each stored row-major or as the row-major transpose.</summary>
    private static (MatrixRef<T> A, MatrixRef<T> B) Operands<T>(int m, int n, int k, bool aTransposed, bool bTransposed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = Random<T>(m * k, 1);
        var b = Random<T>(k * n, 2);
        return (aTransposed ? MatrixRef<T>.TransposeOf(a, m) : MatrixRef<T>.RowMajor(a, k),
                bTransposed ? MatrixRef<T>.TransposeOf(b, k) : MatrixRef<T>.RowMajor(b, n));
    }

    private static T[] TripleLoop<T>(MatrixRef<T> a, MatrixRef<T> b, int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = new T[m * n];
        for (int r = 0; r < m; r++)
            for (int col = 0; col < n; col++)
            {
                T s = T.Zero;
                for (int p = 0; p < k; p++) s = T.FusedMultiplyAdd(a[r, p], b[p, col], s);
                c[r * n + col] = s;
            }
        return c;
    }

    private static void Check<T>(int m, int n, int k, bool aT, bool bT, bool small) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (a, b) = Operands<T>(m, n, k, aT, bT);
        var expected = TripleLoop(a, b, m, n, k);
        var c = new T[m * n];
        c.AsSpan().Fill(T.CreateChecked(123)); // stale contents must not leak in
        Gemm.Multiply(a, b, c, n, k, 0, m, 0, n, small);
        Assert.Equal(expected, c);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BlockedKernelMatchesTheTripleLoopBitForBit(int m, int n, int k, bool aT, bool bT)
    {
        Check<float>(m, n, k, aT, bT, small: false);
        Check<double>(m, n, k, aT, bT, small: false);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SmallKernelMatchesTheTripleLoopBitForBit(int m, int n, int k, bool aT, bool bT)
    {
        if ((long)m * n * k > 300_000) return; // the small path is for small products; keep the test quick
        Check<float>(m, n, k, aT, bT, small: true);
        Check<double>(m, n, k, aT, bT, small: true);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 0)]
    [InlineData(2, -1)]
    [InlineData(2, -3)]
    public void AFewStridedUnitsOverManyRowsMatchTheTripleLoopBitForBit(int vectors, int less)
    {
        // An output layer's W^T: one or two vectors of units read through strides, over many rows (also a
        // part of C's columns starting past 0, as a thread's share is), every layout of A.
        foreach (int m in new[] { 4 * GemmSmall.Width<float>(), 1029 })
            foreach (int k in new[] { 1, 7, 512 })
            {
                CheckColumns<float>(m, vectors * GemmSmall.Width<float>() + less, k);
                CheckColumns<double>(m, vectors * GemmSmall.Width<double>() + less, k);
            }

        static void CheckColumns<T>(int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
        {
            Check<T>(m, n, k, false, true, small: true);
            Check<T>(m, n, k, true, true, small: true);
            var (a, b) = Operands<T>(m, n, k, false, true);
            var expected = TripleLoop(a, b, m, n, k);
            var c = new T[m * n];
            Gemm.Multiply(a, b, c, n, k, 0, m, 2, n, small: true);
            for (int r = 0; r < m; r++)
                for (int col = 2; col < n; col++) Assert.Equal(expected[r * n + col], c[r * n + col]);
        }
    }

    [Theory]
    [InlineData(33, 257, 25)]
    [InlineData(257, 33, 600)]
    [InlineData(3, 1, 15)]
    public void SubBlocksOfCAreComputedAloneWithTheSameBits(int m, int n, int k)
    {
        // What a thread's share does: any rectangle of C, computed on its own, equals the whole.
        var (a, b) = Operands<float>(m, n, k, false, true);
        var whole = new float[m * n];
        Gemm.Multiply(a, b, whole, m, n, k);
        var parts = new float[m * n];
        int mi = m / 3, nj = n / 2;
        foreach (var (i0, i1, j0, j1) in new[] { (0, mi, 0, nj), (mi, m, 0, nj), (0, m, nj, n) })
            Gemm.Multiply(a, b, parts, n, k, i0, i1, j0, j1, small: false);
        Assert.Equal(whole, parts);
    }

    [Theory]
    [InlineData(1, 300, 700, 300)]
    [InlineData(2, 300, 700, 300)]
    [InlineData(2, 700, 40, 300)]
    [InlineData(2, 25, 15, 37)]
    public void GemmJobGivesTheSameBitsAtAnyThreadCount(int threads, int m, int n, int k)
    {
        var (a, b) = Operands<double>(m, n, k, true, false);
        var expected = TripleLoop(a, b, m, n, k);
        var c = new double[m * n];
        new GemmJob<double>().Run(WorkerPool.ForThreads(threads), a, b, c, m, n, k);
        Assert.Equal(expected, c);
    }

    [Fact]
    public void PackingWholePanelsOfARowMajorAMatchesTheIndexFormula()
    {
        PackWhole<float>();
        PackWhole<double>();
    }

    // Three whole panels of mr rows, k = 2 blocks of the transpose and a tail of 3: the vector path.
    private static void PackWhole<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = Gemm.RowTile, mc = 3 * mr, kc = 2 * BlockTranspose.Size<T>() + 3, k = kc + 4;
        var refA = MatrixRef<T>.RowMajor(Random<T>((mc + 2) * k, 5), k);
        var packed = new T[mc * kc];
        GemmPacking.PackA(refA, 1, mc, 2, kc, mr, packed); // rows 1.., k 2..
        for (int panel = 0; panel < 3; panel++)
            for (int p = 0; p < kc; p++)
                for (int r = 0; r < mr; r++)
                    Assert.Equal(refA[1 + panel * mr + r, 2 + p], packed[panel * mr * kc + p * mr + r]);
    }

    [Fact]
    public void PackingAColumnMajorAMatchesTheIndexFormula()
    {
        PackColumns<float>();
        PackColumns<double>();
    }

    // A = D^T (its columns contiguous, as delta^T in a weight gradient): three whole panels, dealt out
    // a column at a time by vectors, and a partial one of 2 rows padded with zeros; the panels start
    // at row 1 and k 2 of A, so no run starts on a vector boundary.
    private static void PackColumns<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = Gemm.RowTile, mc = 3 * mr + 2, kc = 11, m = mc + 3;
        var refA = MatrixRef<T>.TransposeOf(Random<T>((kc + 4) * m, 7), m);
        var packed = new T[4 * mr * kc];
        packed.AsSpan().Fill(T.CreateChecked(99));
        GemmPacking.PackA(refA, 1, mc, 2, kc, mr, packed);
        for (int panel = 0; panel < 4; panel++)
            for (int p = 0; p < kc; p++)
                for (int r = 0; r < mr; r++)
                {
                    int row = panel * mr + r;
                    Assert.Equal(row < mc ? refA[1 + row, 2 + p] : T.Zero, packed[panel * mr * kc + p * mr + r]);
                }
    }

    [Fact]
    public void PackingCopiesPanelsAndPadsWithZeros()
    {
        var a = Random<float>(5 * 7, 3); // A: 5 x 7 row-major
        var refA = MatrixRef<float>.RowMajor(a, 7);
        int mr = Gemm.RowTile;
        var packed = new float[mr * 4];
        GemmPacking.PackA(refA, 1, 4, 2, 4, mr, packed); // rows 1..4, k 2..5
        for (int p = 0; p < 4; p++)
            for (int r = 0; r < mr; r++)
                Assert.Equal(r < 4 ? refA[1 + r, 2 + p] : 0f, packed[p * mr + r]);

        int nr = Gemm.ColumnTile<float>();
        var bT = MatrixRef<float>.TransposeOf(a, 7); // B = A^T: 7 x 5
        var packedB = new float[nr * 3];
        GemmPacking.PackB(bT, 1, 3, 2, 3, nr, packedB); // k 1..3, columns 2..4
        for (int p = 0; p < 3; p++)
            for (int col = 0; col < nr; col++)
                Assert.Equal(col < 3 ? bT[1 + p, 2 + col] : 0f, packedB[p * nr + col]);
    }
}
