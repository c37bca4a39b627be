using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Lab;
using SymmetryLab.Numerics;
using SymmetryLab.Tests.Engine;

namespace SymmetryLab.Tests.Lab;

/// <summary>
/// The fast paths of compare against the plain forms they replace, bit for bit: the vector lerps of the
/// lines' pass against a scalar loop at every length, the dense shortest-path search of the assignment
/// against the list search (ties included), and weight matching that skips unchanged layers against
/// solving every step.
/// </summary>
public class CompareKernelTests
{
    private static readonly double[] Ts = [0, 0.3, 1 / 3.0, 0.75, 1];

    private static long Bits<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => BitConverter.DoubleToInt64Bits(double.CreateChecked(x));

    [Theory, EveryCpuPath]
    [MemberData(nameof(KernelInputs.Lengths), MemberType = typeof(KernelInputs))]
    public void Lerp_of_parameters_gives_the_scalar_bits(int n)
    {
        ParameterLerp<float>(n);
        ParameterLerp<double>(n);
    }

    private static void ParameterLerp<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = KernelInputs.Values<double>(n, n);
        var y = KernelInputs.Values<double>(n, n + 1000);
        var into = new T[n + 1];
        foreach (double t in Ts)
        {
            LineKernels.Point(x, y, t, into.AsSpan());
            for (int i = 0; i < n; i++)
                Assert.Equal(Bits(T.CreateChecked(t == 1 ? y[i] : x[i] + t * (y[i] - x[i]))), Bits(into[i]));
            Assert.Equal(T.Zero, into[n]);
        }
    }

    [Theory, EveryCpuPath]
    [MemberData(nameof(KernelInputs.Lengths), MemberType = typeof(KernelInputs))]
    public void Lerp_of_pre_activations_gives_the_scalar_bits(int n)
    {
        ActivationLerp<float>(n);
        ActivationLerp<double>(n);
    }

    private static void ActivationLerp<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = KernelInputs.Values<T>(n, n);
        var b = KernelInputs.Values<T>(n, n + 1000);
        var into = new T[n + 1];
        foreach (double td in Ts)
        {
            T t = T.CreateChecked(td);
            LineKernels.Lerp<T>(a, b, t, into);
            for (int i = 0; i < n; i++) Assert.Equal(Bits(a[i] + t * (b[i] - a[i])), Bits(into[i]));
            Assert.Equal(T.Zero, into[n]);
        }
    }

    [Fact]
    public void Columns_are_reordered_and_negated()
    {
        var z = new double[] { 1, 2, 3, 4, 5, 6 };
        var into = new double[6];
        LineKernels.Columns<double>(z, 2, 3, [2, 0, 1], [1, -1, 1], into);
        Assert.Equal([3, -1, 2, 6, -4, 5], into);
    }

    /// <summary>
    /// n x n costs of a kind: normal numbers, small integers (many ties), normal numbers with rows repeated
    /// (identical units), or rows that fall along their columns (each column below those before it: a
    /// row's list of its lowest columns changes at every column, several times in one vector).
    /// </summary>
    private static double[] Costs(int n, int kind, ulong seed)
    {
        var rng = new Rng(seed);
        var cost = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                cost[i * n + j] = kind switch
                {
                    0 => rng.NextNormal(0, 3),
                    1 => rng.NextInt(4),
                    3 => -j + rng.NextNormal(0, 0.1),
                    // Repeated rows of real numbers end augmenting row reduction by its budget
                    // (they bounce off each other at the last digit of a price): the searches after it agree too.
                    _ => i % 3 == 1 ? cost[(i - 1) * n + j] : rng.NextNormal(0, 3),
                };
        return cost;
    }

    private static void SameAsTheListSearch(double[] cost, int n)
    {
        var dense = new LinearAssignment();
        var list = new LinearAssignment { Dense = false };
        int[] p = new int[n], q = new int[n];
        dense.Solve(cost, n, p);
        list.Solve(cost, n, q);
        Assert.Equal(q, p);
        Assert.Equal(list.Prices.ToArray().Select(BitConverter.DoubleToInt64Bits), dense.Prices.ToArray().Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory, EveryCpuPath]
    [MemberData(nameof(KernelInputs.Lengths), MemberType = typeof(KernelInputs))]
    public void A_rows_lowest_columns_are_its_lowest_differences_by_value_then_column(int n)
    {
        for (int kind = 0; kind < 4; kind++)
            for (ulong seed = 1; seed <= 3; seed++)
            {
                var cost = Costs(n, kind, seed);
                var prices = Costs(n, kind, seed + 10).AsSpan(0, n).ToArray();
                for (int kept = 1; kept <= Math.Min(8, n); kept += 3)
                {
                    var row = cost.AsSpan(0, n).ToArray();
                    var columns = new int[kept];
                    Assert.True(LinearAssignment.LowestColumns(row, prices, columns));
                    var expected = Enumerable.Range(0, n).OrderBy(j => row[j] - prices[j]).ThenBy(j => j).Take(kept);
                    Assert.Equal(expected, columns);
                }
            }
        if (n < 2) return;
        var infinite = Enumerable.Repeat(1.0, n).ToArray();
        infinite[n - 1] = double.PositiveInfinity;
        Assert.False(LinearAssignment.LowestColumns(infinite, new double[n], new int[1]));
    }

    [Theory, EveryCpuPath]
    [MemberData(nameof(KernelInputs.Lengths), MemberType = typeof(KernelInputs))]
    public void Dense_search_gives_the_list_search_assignment_and_prices(int n)
    {
        for (int kind = 0; kind < 4; kind++)
            for (ulong seed = 1; seed <= 3; seed++) SameAsTheListSearch(Costs(n, kind, seed), n);
    }

    [Theory]
    [InlineData(300, 0)]
    [InlineData(257, 1)]
    [InlineData(512, 2)]
    public void Dense_search_gives_the_list_search_assignment_and_prices_on_large_matrices(int n, int kind) =>
        SameAsTheListSearch(Costs(n, kind, 7), n);

    [Fact]
    public void Dense_search_gives_the_list_search_assignment_on_the_scores_of_unit_matching()
    {
        // Scores as weight matching makes them: products of two layers' weights, one of them a noisy reordering of the other.
        // (Shapes and noise where augmenting row reduction visits rows many times: its kept columns matter.)
        var rng = new Rng(220);
        int n = 200, m = 20;
        var wa = new double[n * m];
        for (int i = 0; i < wa.Length; i++) wa[i] = rng.NextNormal();
        var order = Enumerable.Range(0, n).ToArray();
        rng.Shuffle(order);
        var noisy = wa.Select(x => x + rng.NextNormal(0, 3)).ToArray();
        var cost = new double[n * n];
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++)
            {
                double s = 0;
                for (int i = 0; i < m; i++) s += wa[j * m + i] * noisy[order[k] * m + i];
                cost[j * n + k] = -s;
            }
        SameAsTheListSearch(cost, n);
    }

    [Theory]
    [InlineData(Activation.Relu, 1)]
    [InlineData(Activation.Tanh, 2)]
    [InlineData(Activation.Sigmoid, 3)]
    public void Weight_matching_that_skips_unchanged_layers_finds_what_solving_every_step_finds(Activation g, ulong seed)
    {
        // B: A's units reordered, with noise, so that the descents take several passes.
        (int, Activation)[] shape = [(12, g), (10, g), (8, g), (2, Activation.Linear)];
        var a = TestNets.Random<double>(6, shape, seed, scale: 1);
        var noise = TestNets.Random<double>(6, shape, seed + 100, scale: 0.6);
        var rng = new Rng(seed);
        var perms = shape.SkipLast(1).Select(l => { var p = Enumerable.Range(0, l.Item1).ToArray(); rng.Shuffle(p); return p; }).ToArray();
        var b = UnitAlignment.Apply(a, perms, [.. perms.Select(p => Enumerable.Repeat(1, p.Length).ToArray())]);
        for (int l = 0; l < b.Layers.Count; l++)
            for (int i = 0; i < b.Layers[l].Weights.Length; i++) b.Layers[l].Weights[i] += noise.Layers[l].Weights[i];
        var skipping = new WeightMatcher().Match(a, b);
        var every = new WeightMatcher { SkipUnchanged = false }.Match(a, b);
        Assert.Equal(every.Passes, skipping.Passes);
        Assert.Equal(every.Distance, skipping.Distance);
        Assert.Equal(every.Perms, skipping.Perms);
        Assert.Equal(every.Signs, skipping.Signs);
        Assert.True(every.Passes > 1, $"{every.Passes} pass: the descent should take several");
    }

    [Theory]
    [InlineData(Activation.Relu, 4)]
    [InlineData(Activation.Tanh, 5)]
    [InlineData(Activation.Sigmoid, 6)]
    public void Weight_matching_with_its_two_descents_at_once_finds_what_it_finds_with_them_in_turn(Activation g, ulong seed)
    {
        // Layers wide enough that both descents solve for a while, at the same time on two threads;
        // one matcher of each kind serves three pairs, as a sweep reuses it, buffers and all.
        (int, Activation)[] shape = [(48, g), (40, g), (3, Activation.Linear)];
        var atOnce = new WeightMatcher(threads: 2);
        var inTurn = new WeightMatcher(threads: 1);
        for (ulong pair = 0; pair < 3; pair++)
        {
            var a = TestNets.Random<double>(9, shape, seed * 10 + pair, scale: 1);
            var noise = TestNets.Random<double>(9, shape, seed * 10 + pair + 100, scale: 0.8);
            var rng = new Rng(seed * 10 + pair);
            var perms = shape.SkipLast(1).Select(l => { var p = Enumerable.Range(0, l.Item1).ToArray(); rng.Shuffle(p); return p; }).ToArray();
            var b = UnitAlignment.Apply(a, perms, [.. perms.Select(p => Enumerable.Repeat(1, p.Length).ToArray())]);
            for (int l = 0; l < b.Layers.Count; l++)
                for (int i = 0; i < b.Layers[l].Weights.Length; i++) b.Layers[l].Weights[i] += noise.Layers[l].Weights[i];
            var expected = inTurn.Match(a, b);
            var found = atOnce.Match(a, b);
            Assert.Equal(expected.Passes, found.Passes);
            Assert.Equal(expected.Distance, found.Distance);
            Assert.Equal(expected.Perms, found.Perms);
            Assert.Equal(expected.Signs, found.Signs);
            Assert.True(expected.Passes > 1, $"{expected.Passes} pass: the descents should take several");
        }
    }
}
