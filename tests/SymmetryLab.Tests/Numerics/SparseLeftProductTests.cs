using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Numerics;

/// <summary>
/// The product for a mostly-zero A against the promised arithmetic, the whole FMA chain over every k
/// (zeros included) from +0, bit for bit, and against the dense product; on sizes that leave partial
/// groups of rows, blocks of columns and slices of k; with +0, -0, and from all-zero to all-nonzero A.
/// </summary>
public class SparseLeftProductTests
{
    public static TheoryData<int, int, int, double> Shapes()
    {
        var data = new TheoryData<int, int, int, double>();
        int[] rows = [1, 3, 4, 9, 64], columns = [1, 10, 63, 64, 65, 130], depths = [1, 7, 127, 128, 129, 300];
        double[] densities = [0, 0.05, 0.2, 0.6, 1];
        int i = 0;
        foreach (int m in rows)
            foreach (int n in columns)
                foreach (int k in depths)
                    data.Add(m, n, k, densities[i++ % densities.Length]);
        data.Add(1024, 512, 512, 0.16); // compare's lines: layer 2 of a 784-512-512-10 network
        return data;
    }

    /// <summary>A rows x k with about this fraction nonzero (normal values), the zeros +0 and -0 alternately; W n x k normal.</summary>
    private static (T[] A, T[] W) Operands<T>(int m, int n, int k, double density) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(7);
        var a = new T[m * k];
        for (int i = 0; i < a.Length; i++)
            a[i] = rng.NextDouble() < density ? T.CreateChecked(rng.NextNormal()) : i % 2 == 0 ? T.Zero : T.NegativeZero;
        var w = Enumerable.Range(0, n * k).Select(_ => T.CreateChecked(rng.NextNormal())).ToArray();
        return (a, w);
    }

    /// <summary>C[r, c] = FMA(A[r, k-1], W[c, k-1], ... FMA(A[r, 0], W[c, 0], +0)), every term.</summary>
    private static T[] Chain<T>(T[] a, T[] w, int m, int n, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = new T[m * n];
        for (int r = 0; r < m; r++)
            for (int j = 0; j < n; j++)
            {
                T s = T.Zero;
                for (int p = 0; p < k; p++) s = T.FusedMultiplyAdd(a[r * k + p], w[j * k + p], s);
                c[r * n + j] = s;
            }
        return c;
    }

    private static void Check<T>(int m, int n, int k, double density) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (a, w) = Operands<T>(m, n, k, density);
        var packed = new T[SparseLeftProduct<T>.PackedLength(n, k)];
        var c = Enumerable.Repeat(T.NaN, m * n).ToArray();
        var product = new SparseLeftProduct<T>();
        if (!SparseLeftProduct<T>.IsSupported)
        {
            Assert.Throws<PlatformNotSupportedException>(() => product.Run(packed, a, m, k, c, n));
            return;
        }
        SparseLeftProduct<T>.Pack(w, n, k, packed);
        product.Run(packed, a, m, k, c, n);
        var expected = Chain(a, w, m, n, k);
        var dense = new T[m * n];
        Gemm.Multiply(MatrixRef<T>.RowMajor(a, k), MatrixRef<T>.TransposeOf(w, k), dense, m, n, k);
        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(c[i].Equals(expected[i]) && T.IsNegative(c[i]) == T.IsNegative(expected[i]),
                $"{typeof(T).Name} {m}x{n}x{k}, density {density}: C[{i / n}, {i % n}] = {c[i]}, the chain gives {expected[i]}");
            Assert.True(c[i].Equals(dense[i]), $"{typeof(T).Name} {m}x{n}x{k}: C[{i / n}, {i % n}] = {c[i]}, the dense product gives {dense[i]}");
        }
        // The same object again on another shape's leftovers: nothing from the last call leaks in.
        product.Run(packed, a, m, k, c, n);
        Assert.Equal(expected, c);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_products_are_the_chain_bit_for_bit(int m, int n, int k, double density) => Check<float>(m, n, k, density);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_products_are_the_chain_bit_for_bit(int m, int n, int k, double density) => Check<double>(m, n, k, density);

    [Fact]
    [EveryCpuPath]
    public void Runs_where_it_is_supported_and_refuses_elsewhere()
    {
        Check<float>(9, 65, 129, 0.2);
        Check<double>(5, 33, 300, 0.2);
    }

    [Fact]
    public void Density_counts_both_zeros_as_zero()
    {
        float[] a = [.. Enumerable.Range(0, 37).Select(i => i % 3 == 0 ? 1f : i % 3 == 1 ? 0f : -0f)];
        Assert.Equal(13.0 / 37, SparseLeftProduct<float>.Density(a), 12);
        Assert.Equal(0, SparseLeftProduct<double>.Density([]));
    }
}
