using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Lab;

/// <summary>
/// compare at research scale: the assignment solver certified optimal on large matrices, the one-pass
/// lines (layer 1 from z_A and z_B, chunks, threads) against the plain evaluation of each interpolated
/// network, and the streaming correlations against the textbook two-pass formula.
/// </summary>
public class CompareAtScaleTests
{
    [Theory]
    [InlineData(300, false)]
    [InlineData(257, true)]
    [InlineData(1, false)]
    public void Assignment_is_certified_optimal_by_its_prices(int n, bool ties)
    {
        var rng = new Rng((ulong)n);
        var cost = new double[n * n];
        for (int i = 0; i < cost.Length; i++) cost[i] = ties ? rng.NextInt(5) : rng.NextNormal(0, 3);
        var solver = new LinearAssignment();
        var p = new int[n];
        solver.Solve(cost, n, p);
        Assert.Equal(Enumerable.Range(0, n), p.Order());
        // Complementary slackness: with u[i] = C[i, p[i]] - v[p[i]], u[i] + v[j] <= C[i, j] everywhere.
        // Then sum_i C[i, p[i]] = sum u + sum v <= the total of any other assignment.
        var v = solver.Prices.ToArray();
        for (int i = 0; i < n; i++)
        {
            double u = cost[i * n + p[i]] - v[p[i]];
            for (int j = 0; j < n; j++) Assert.True(u + v[j] <= cost[i * n + j] + 1e-9, $"row {i}, column {j}: {u} + {v[j]} > {cost[i * n + j]}");
        }
    }

    [Theory]
    [InlineData(300, false, false)]
    [InlineData(257, true, true)]
    [InlineData(64, false, true)]
    public void A_solve_from_given_prices_is_certified_optimal_with_the_cold_solves_total(int n, bool ties, bool dense)
    {
        // Weight matching starts a layer's solve from its last prices; any prices must give an optimum.
        var rng = new Rng((ulong)n + 17);
        double Draw() => ties ? rng.NextInt(5) : rng.NextNormal(0, 3);
        var cost = new double[n * n];
        for (int i = 0; i < cost.Length; i++) cost[i] = Draw();
        // Every third row a copy of the one before: identical units.
        for (int i = 2; i < n; i += 3) Array.Copy(cost, (i - 1) * n, cost, i * n, n);
        var cold = new LinearAssignment { Dense = dense };
        var p = new int[n];
        cold.Solve(cost, n, p);
        double best = Enumerable.Range(0, n).Sum(i => cost[i * n + p[i]]);
        // The prices of a nearby matrix (as the next pass's scores are), of this one, random ones, zeros.
        var nearby = cost.Select(c => c + 0.05 * rng.NextNormal()).ToArray();
        var nearbySolver = new LinearAssignment { Dense = dense };
        nearbySolver.Solve(nearby, n, new int[n]);
        double[][] starts = [nearbySolver.Prices.ToArray(), cold.Prices.ToArray(), [.. Enumerable.Range(0, n).Select(_ => 10 * rng.NextNormal())], new double[n]];
        foreach (var prices in starts)
        {
            var warm = new LinearAssignment { Dense = dense };
            var q = new int[n];
            warm.Solve(cost, n, q, prices);
            Assert.Equal(Enumerable.Range(0, n), q.Order());
            Assert.Equal(best, Enumerable.Range(0, n).Sum(i => cost[i * n + q[i]]), 1e-9 * (1 + Math.Abs(best)));
            var v = warm.Prices.ToArray();
            for (int i = 0; i < n; i++)
            {
                double u = cost[i * n + q[i]] - v[q[i]];
                for (int j = 0; j < n; j++) Assert.True(u + v[j] <= cost[i * n + j] + 1e-9, $"row {i}, column {j}: {u} + {v[j]} > {cost[i * n + j]}");
            }
        }
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Sigmoid)]
    public void Weight_matching_finds_the_same_alignment_from_the_last_prices_as_from_column_reduction(Activation g)
    {
        var a = TestNets.Random<double>(12, [(40, g), (30, g), (3, Activation.Softmax)], 21, scale: 1);
        var b = TestNets.Random<double>(12, [(40, g), (30, g), (3, Activation.Softmax)], 22, scale: 1);
        try
        {
            WeightMatcher.WarmStart = false;
            var cold = UnitAlignment.Align(a, b);
            WeightMatcher.WarmStart = true;
            var warm = UnitAlignment.Align(a, b);
            Assert.True(cold.Passes > 1, "one pass: no solve started from earlier prices");
            Assert.Equal(cold.Passes, warm.Passes);
            Assert.Equal(cold.DistanceAfter, warm.DistanceAfter);
            for (int l = 0; l < a.Layers.Count; l++)
            {
                Assert.Equal(cold.AlignedB.Layers[l].Weights, warm.AlignedB.Layers[l].Weights);
                Assert.Equal(cold.AlignedB.Layers[l].Biases, warm.AlignedB.Layers[l].Biases);
            }
        }
        finally
        {
            WeightMatcher.WarmStart = true;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Repeated_rows_of_real_numbers_finish_and_are_certified_optimal(bool dense)
    {
        // Identical units give identical score rows. With real numbers, augmenting row reduction used to
        // bounce such rows off each other for ever: the price step fell below the price's last digit.
        for (int n = 2; n <= 80; n++)
            for (ulong seed = 1; seed <= 3; seed++)
            {
                var rng = new Rng(seed * 1000 + (ulong)n);
                var cost = new double[n * n];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) cost[i * n + j] = i % 3 == 1 ? cost[(i - 1) * n + j] : rng.NextNormal(0, 3);
                var solver = new LinearAssignment { Dense = dense };
                var p = new int[n];
                var solve = Task.Run(() => solver.Solve(cost, n, p));
                Assert.True(await Task.WhenAny(solve, Task.Delay(TimeSpan.FromSeconds(20))) == solve, $"n = {n}, seed {seed}: the solve did not finish within 20 s");
                Assert.Equal(Enumerable.Range(0, n), p.Order());
                var v = solver.Prices.ToArray();
                for (int i = 0; i < n; i++)
                {
                    double u = cost[i * n + p[i]] - v[p[i]];
                    for (int j = 0; j < n; j++) Assert.True(u + v[j] <= cost[i * n + j] + 1e-9, $"n = {n}, row {i}, column {j}: {u} + {v[j]} > {cost[i * n + j]}");
                }
            }
    }

    private static (double Loss, double? Accuracy) Evaluate<T>(Network<double> net, Dataset data, Loss loss) where T : unmanaged, IFloatingPointIeee754<T> =>
        new Evaluator<T>(net.Convert<T>(), data, loss, WorkerPool.ForThreads(1)).Evaluate();

    [Theory]
    [InlineData(Activation.Tanh, 1)]
    [InlineData(Activation.Relu, 2)]
    [InlineData(Activation.Sigmoid, 2)]
    [InlineData(Activation.Relu, 3)]
    public void Lines_equal_the_interpolated_networks_evaluated_one_by_one(Activation g, int threads)
    {
        // More rows than one chunk, so that chunks are added; 3 classes (softmax, ce).
        var a = TestNets.Random<double>(5, [(9, g), (6, g), (3, Activation.Softmax)], 1, scale: 1);
        var b = TestNets.Random<double>(5, [(9, g), (6, g), (3, Activation.Softmax)], 2, scale: 1);
        var data = TestNets.Data(LossBarrier.ChunkRows + 333, 5, 3);
        var aligned = UnitAlignment.Align(a, b).AlignedB;
        var lines = LossBarrier.Lines<double>(a, [b, aligned], data, Loss.Ce, 7, threads: threads);
        var point = a.Clone();
        foreach (var (line, end) in new[] { (lines[0], b), (lines[1], aligned) })
            for (int k = 0; k < 7; k++)
            {
                LossBarrier.Interpolate(a, end, k / 6.0, point);
                var (loss, accuracy) = Evaluate<double>(point, data, Loss.Ce);
                Assert.Equal(k / 6.0, line.Points[k].T);
                Assert.Equal(loss, line.Points[k].Loss, 1e-12);
                Assert.Equal(accuracy, line.Points[k].Accuracy);
                // The ends are the models themselves, bit for bit as the evaluator (and predict) has them.
                if (k == 0 || k == 6) Assert.Equal(loss, line.Points[k].Loss);
            }
    }

    [Fact]
    public void Lines_give_the_same_bits_with_or_without_the_kept_parameters()
    {
        // Three chunks, two lines, two layers above the first: the parameters kept from the first chunk
        // (each point's own) against interpolating them again at every chunk.
        var a = TestNets.Random<double>(5, [(9, Activation.Relu), (7, Activation.Tanh), (3, Activation.Softmax)], 3, scale: 1);
        var b = TestNets.Random<double>(5, [(9, Activation.Relu), (7, Activation.Tanh), (3, Activation.Softmax)], 4, scale: 1);
        var data = TestNets.Data(2 * LossBarrier.ChunkRows + 77, 5, 3);
        var aligned = UnitAlignment.Align(a, b).AlignedB;
        long budget = LossBarrier.ParameterCacheBytes;
        try
        {
            foreach (var lines in new[] { Both<float>(), Both<double>() })
                for (int e = 0; e < 2; e++)
                    for (int k = 0; k < 9; k++)
                    {
                        Assert.Equal(BitConverter.DoubleToInt64Bits(lines.Kept[e].Points[k].Loss), BitConverter.DoubleToInt64Bits(lines.Again[e].Points[k].Loss));
                        Assert.Equal(lines.Kept[e].Points[k].Accuracy, lines.Again[e].Points[k].Accuracy);
                    }
        }
        finally
        {
            LossBarrier.ParameterCacheBytes = budget;
        }

        (LossPath[] Kept, LossPath[] Again) Both<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            LossBarrier.ParameterCacheBytes = budget;
            var kept = LossBarrier.Lines<T>(a, [b, aligned], data, Loss.Ce, 9, threads: 2);
            LossBarrier.ParameterCacheBytes = 0;
            var again = LossBarrier.Lines<T>(a, [b, aligned], data, Loss.Ce, 9, threads: 2);
            return (kept, again);
        }
    }

    [Fact]
    public void Lines_give_the_same_bits_with_the_sparse_product_as_with_the_dense_one()
    {
        // ReLU units switched off on most rows by their biases: layer 2's input is mostly zeros, the case
        // where a point's layer takes the sparse product (70 units: a block of 64 and an edge).
        var a = TestNets.Random<double>(5, [(80, Activation.Relu), (70, Activation.Relu), (3, Activation.Softmax)], 3, scale: 1);
        var b = TestNets.Random<double>(5, [(80, Activation.Relu), (70, Activation.Relu), (3, Activation.Softmax)], 4, scale: 1);
        foreach (var net in new[] { a, b })
            for (int j = 0; j < 80; j++) net.Layers[0].Biases[j] = -2.5;
        var data = TestNets.Data(2 * LossBarrier.ChunkRows + 77, 5, 3);
        Assert.InRange(ReluDensity(a, data), 0.02, SparseLeftProduct<double>.WorthIt);
        Assert.InRange(ReluDensity(b, data), 0.02, SparseLeftProduct<double>.WorthIt);
        // The same rows with four inputs in five zero: the models' own layer 1 takes the sparse product too.
        var sparseInputs = new Dataset("sparse inputs", [.. data.X.Select((v, i) => i % 5 == 2 ? v : 0)], data.Y, data.Features);
        var aligned = UnitAlignment.Align(a, b).AlignedB;
        long budget = LossBarrier.ParameterCacheBytes;
        try
        {
            foreach (var rows in new[] { data, sparseInputs })
                foreach (long cache in new[] { budget, 0 })
                {
                    LossBarrier.ParameterCacheBytes = cache;
                    Same(Both<float>(rows));
                    Same(Both<double>(rows));
                }
        }
        finally
        {
            LossBarrier.ParameterCacheBytes = budget;
            LossBarrier.UseSparse = true;
        }

        (LossPath[] Sparse, LossPath[] Dense) Both<T>(Dataset rows) where T : unmanaged, IFloatingPointIeee754<T>
        {
            LossBarrier.UseSparse = true;
            var sparse = LossBarrier.Lines<T>(a, [b, aligned], rows, Loss.Ce, 9, threads: 2);
            LossBarrier.UseSparse = false;
            return (sparse, LossBarrier.Lines<T>(a, [b, aligned], rows, Loss.Ce, 9, threads: 2));
        }

        static void Same((LossPath[] Sparse, LossPath[] Dense) lines)
        {
            for (int e = 0; e < 2; e++)
                for (int k = 0; k < 9; k++)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(lines.Dense[e].Points[k].Loss), BitConverter.DoubleToInt64Bits(lines.Sparse[e].Points[k].Loss));
                    Assert.Equal(lines.Dense[e].Points[k].Accuracy, lines.Sparse[e].Points[k].Accuracy);
                }
        }
    }

    /// <summary>The fraction of layer 1's ReLU outputs over the data that are not zero.</summary>
    private static double ReluDensity(Network<double> net, Dataset data)
    {
        var layer = net.Layers[0];
        long nonzero = 0;
        for (int r = 0; r < data.Rows; r++)
            for (int j = 0; j < layer.Units; j++)
            {
                double z = layer.Biases[j];
                for (int i = 0; i < layer.Inputs; i++) z += layer.Weights[j * layer.Inputs + i] * data.X[r * layer.Inputs + i];
                if (z > 0) nonzero++;
            }
        return (double)nonzero / ((long)data.Rows * layer.Units);
    }

    [Fact]
    public void Lines_in_float32_end_where_predict_evaluates_the_models()
    {
        var a = TestNets.Random<double>(4, [(6, Activation.Tanh), (1, Activation.Sigmoid)], 5, scale: 1).Convert<float>().Convert<double>();
        var b = TestNets.Random<double>(4, [(6, Activation.Tanh), (1, Activation.Sigmoid)], 6, scale: 1).Convert<float>().Convert<double>();
        var data = TestNets.Data(500, 4, 2);
        var line = LossBarrier.Lines<float>(a, [b], data, Loss.Bce, 5)[0];
        Assert.Equal(Evaluate<float>(a, data, Loss.Bce).Loss, line.Points[0].Loss);
        Assert.Equal(Evaluate<float>(b, data, Loss.Bce).Loss, line.Points[^1].Loss);
        Assert.Equal(Evaluate<float>(b, data, Loss.Bce).Accuracy, line.Points[^1].Accuracy);
    }

    [Fact]
    public void Correlations_keep_their_bits_when_the_units_are_reordered()
    {
        // 20 units: 16 centred a vector at a time and 4 one by one; reversed, the first four move to the
        // one-by-one tail. Each correlation must keep its bits wherever its units sit.
        Same<double>();
        Same<float>();

        static void Same<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            const int n = 20, rows = 100;
            var rng = new Rng(3);
            var chunks = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, rows * n).Select(_ => T.CreateChecked(Math.Max(0, rng.NextNormal(0.5, 1)))).ToArray()).ToArray();
            T[] Reversed(T[] x) => [.. Enumerable.Range(0, rows * n).Select(i => x[i / n * n + (n - 1 - i % n)])];
            var forward = new ActivationCorrelation([n]);
            var backward = new ActivationCorrelation([n]);
            for (int c = 0; c < 6; c += 2)
            {
                forward.Add([chunks[c]], [chunks[c + 1]], rows);
                backward.Add([Reversed(chunks[c])], [Reversed(chunks[c + 1])], rows);
            }
            var (f, b) = (forward.Result()[0], backward.Result()[0]);
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++)
                    Assert.True(BitConverter.DoubleToInt64Bits(f[j, k]) == BitConverter.DoubleToInt64Bits(b[n - 1 - j, n - 1 - k]),
                        $"{typeof(T).Name} units {j}, {k}: {f[j, k]:R}, reordered {b[n - 1 - j, n - 1 - k]:R}");
        }
    }

    [Fact]
    public void Streaming_correlations_equal_the_two_pass_formula()
    {
        var a = TestNets.Random<double>(3, [(7, Activation.Sigmoid), (4, Activation.Tanh), (1, Activation.Sigmoid)], 8, scale: 2);
        var b = TestNets.Random<double>(3, [(7, Activation.Sigmoid), (4, Activation.Tanh), (1, Activation.Sigmoid)], 9, scale: 2);
        // A unit that is constant on the data (all its weights 0): its correlations are 0, not NaN.
        Array.Clear(b.Layers[0].Weights, 2 * 3, 3);
        var data = TestNets.Data(3000, 3, 2);
        var correlation = new ActivationCorrelation([7, 4]);
        for (int start = 0; start < data.Rows; start += 1000)
        {
            var rows = data.Subset([.. Enumerable.Range(start, 1000)]);
            var x = TestNets.Convert<double>(rows.X);
            a.Forward(x, 1000, WorkerPool.ForThreads(1));
            b.Forward(x, 1000, WorkerPool.ForThreads(1));
            correlation.Add([a.Layers[0].A, a.Layers[1].A], [b.Layers[0].A, b.Layers[1].A], 1000);
        }
        var result = correlation.Result();

        var all = TestNets.Convert<double>(data.X);
        a.Forward(all, data.Rows, WorkerPool.ForThreads(1));
        b.Forward(all, data.Rows, WorkerPool.ForThreads(1));
        for (int l = 0; l < 2; l++)
        {
            int n = a.Layers[l].Units;
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++)
                {
                    var x = Enumerable.Range(0, data.Rows).Select(r => a.Layers[l].A[r * n + j]).ToArray();
                    var y = Enumerable.Range(0, data.Rows).Select(r => b.Layers[l].A[r * n + k]).ToArray();
                    double mx = x.Average(), my = y.Average();
                    double sxy = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
                    double sxx = x.Sum(v => (v - mx) * (v - mx)), syy = y.Sum(v => (v - my) * (v - my));
                    double expected = sxx > 1e-24 && syy > 1e-24 ? sxy / Math.Sqrt(sxx * syy) : 0;
                    Assert.Equal(expected, result[l][j, k], 1e-12);
                }
        }
        Assert.All(Enumerable.Range(0, 7), j => Assert.Equal(0, result[0][j, 2]));
    }
}
