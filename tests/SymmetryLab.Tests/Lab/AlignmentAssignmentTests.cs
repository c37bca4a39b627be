using SymmetryLab.Lab;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Lab;

public class AlignmentAssignmentTests
{
    private static IEnumerable<int[]> AllPermutations(int n)
    {
        if (n == 0) { yield return []; yield break; }
        foreach (var rest in AllPermutations(n - 1))
            for (int pos = 0; pos <= rest.Length; pos++)
            {
                var p = new int[n];
                for (int i = 0, r = 0; i < n; i++) p[i] = i == pos ? n - 1 : rest[r++];
                yield return p;
            }
    }

    [Fact]
    public void Matches_brute_force_on_random_small_matrices()
    {
        var rng = new Rng(2024);
        for (int trial = 0; trial < 300; trial++)
        {
            int n = 1 + rng.NextInt(6);
            var cost = new double[n, n];
            // Half the trials on small integers, so that ties (several optimal permutations) happen.
            bool integers = trial % 2 == 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) cost[i, j] = integers ? rng.NextInt(4) - 1 : rng.NextNormal(0, 10);
            double best = AllPermutations(n).Min(p => LinearAssignment.Total(cost, p));
            var found = LinearAssignment.Minimize(cost);
            Assert.Equal(Enumerable.Range(0, n), found.Order());
            Assert.Equal(best, LinearAssignment.Total(cost, found), 9);
        }
    }

    [Fact]
    public void Beats_greedy_where_greedy_fails()
    {
        // Greedy takes the 1 at (0,0) and is left with 100 at (1,1); the optimum is 2 + 2.
        var cost = new double[,] { { 1, 2 }, { 2, 100 } };
        Assert.Equal([1, 0], LinearAssignment.Minimize(cost));
    }

    [Fact]
    public void Maximize_finds_a_planted_permutation()
    {
        var rng = new Rng(5);
        int n = 40;
        var planted = Enumerable.Range(0, n).ToArray();
        rng.Shuffle(planted);
        var score = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) score[i, j] = rng.NextDouble() + (planted[i] == j ? 5 : 0);
        Assert.Equal(planted, LinearAssignment.Maximize(score));
    }

    [Fact]
    public void Correlations_give_each_layer_its_own_planted_pairing_and_a_failure_as_itself()
    {
        // Three hidden tanh layers solved side by side: each must get its own permutation and signs.
        var a = TestNets.Random<double>(3, [(7, SymmetryLab.Engine.Activations.Activation.Tanh), (6, SymmetryLab.Engine.Activations.Activation.Tanh),
            (5, SymmetryLab.Engine.Activations.Activation.Tanh), (1, SymmetryLab.Engine.Activations.Activation.Linear)]);
        var rng = new Rng(8);
        var planted = new int[3][];
        var signs = new int[3][];
        var correlations = new double[3][,];
        for (int l = 0; l < 3; l++)
        {
            int n = a.Layers[l].Units;
            planted[l] = [.. Enumerable.Range(0, n)];
            rng.Shuffle(planted[l]);
            signs[l] = [.. Enumerable.Range(0, n).Select(j => (j + l) % 3 == 0 ? -1 : 1)];
            correlations[l] = new double[n, n];
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) correlations[l][j, k] = 0.3 * (rng.NextDouble() - 0.5) + (planted[l][j] == k ? 0.9 * signs[l][j] : 0);
        }
        var (perms, found) = UnitAlignment.FromCorrelations(a, correlations);
        Assert.Equal(planted, perms);
        Assert.Equal(signs, found);

        // A correlation that is not a number is refused as the assignment refuses it, not wrapped.
        correlations[1][0, 0] = correlations[2][1, 1] = double.NaN;
        Assert.Throws<ArgumentException>(() => UnitAlignment.FromCorrelations(a, correlations));
    }
}
