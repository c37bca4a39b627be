namespace SymmetryLab.Lab;

/// <summary>
/// The linear assignment problem: given an n x n cost matrix C, the permutation p minimizing
/// sum_j C[j, p[j]]. Solved exactly by the shortest-augmenting-path form of the Hungarian method
/// (Kuhn-Munkres with potentials, as in Jonker and Volgenant 1987), O(n^3). A greedy pick of the
/// cheapest pair first is not optimal, and unit matching needs the optimum: a suboptimal matching
/// would report a distance between two networks that a better matching could lower.
/// </summary>
public static class LinearAssignment
{
    /// <summary>p with p[j] = the column assigned to row j, minimizing sum_j cost[j, p[j]].</summary>
    public static int[] Minimize(double[,] cost)
    {
        int n = cost.GetLength(0);
        if (cost.GetLength(1) != n) throw new ArgumentException($"the cost matrix must be square, not {n} x {cost.GetLength(1)}", nameof(cost));
        foreach (var c in cost)
            if (!double.IsFinite(c)) throw new ArgumentException("the cost matrix must hold finite numbers", nameof(cost));
        if (n == 0) return [];

        // Rows and columns are numbered 1..n here; 0 is a virtual column where each augmentation starts.
        // u, v are the dual potentials: u[i] + v[j] <= cost[i, j] always, with equality on assigned pairs,
        // so the reduced cost cost[i, j] - u[i] - v[j] is >= 0 and Dijkstra over it finds the shortest
        // augmenting path. When every row is assigned, the assignment is optimal (complementary slackness).
        var u = new double[n + 1];
        var v = new double[n + 1];
        var rowOf = new int[n + 1];   // rowOf[j]: the row assigned to column j (0: none)
        var way = new int[n + 1];     // the previous column on the shortest path to column j
        var minTo = new double[n + 1];
        var used = new bool[n + 1];

        for (int row = 1; row <= n; row++)
        {
            rowOf[0] = row;
            int j0 = 0;
            Array.Fill(minTo, double.PositiveInfinity);
            Array.Fill(used, false);
            do
            {
                used[j0] = true;
                int i0 = rowOf[j0], j1 = 0;
                double delta = double.PositiveInfinity;
                for (int j = 1; j <= n; j++)
                {
                    if (used[j]) continue;
                    double reduced = cost[i0 - 1, j - 1] - u[i0] - v[j];
                    if (reduced < minTo[j]) { minTo[j] = reduced; way[j] = j0; }
                    if (minTo[j] < delta) { delta = minTo[j]; j1 = j; }
                }
                for (int j = 0; j <= n; j++)
                {
                    if (used[j]) { u[rowOf[j]] += delta; v[j] -= delta; }
                    else minTo[j] -= delta;
                }
                j0 = j1;
            } while (rowOf[j0] != 0);

            // Flip the assignments along the path back to the virtual column.
            do
            {
                int j1 = way[j0];
                rowOf[j0] = rowOf[j1];
                j0 = j1;
            } while (j0 != 0);
        }

        var assignment = new int[n];
        for (int j = 1; j <= n; j++) assignment[rowOf[j] - 1] = j - 1;
        return assignment;
    }

    /// <summary>The permutation maximizing sum_j score[j, p[j]] (minimizing the negated scores).</summary>
    public static int[] Maximize(double[,] score)
    {
        int n = score.GetLength(0), m = score.GetLength(1);
        var cost = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) cost[i, j] = -score[i, j];
        return Minimize(cost);
    }

    /// <summary>sum_j matrix[j, p[j]].</summary>
    public static double Total(double[,] matrix, int[] p)
    {
        double sum = 0;
        for (int j = 0; j < p.Length; j++) sum += matrix[j, p[j]];
        return sum;
    }
}
