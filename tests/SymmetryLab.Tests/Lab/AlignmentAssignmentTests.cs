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
}
