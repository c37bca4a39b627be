namespace SymmetryLab.Lab;

/// <summary>
/// The linear assignment problem: given an n x n cost matrix C, the permutation p minimizing
/// sum_j C[j, p[j]]. Solved exactly by the Jonker-Volgenant algorithm (LAPJV, 1987): column reduction,
/// reduction transfer and two rounds of augmenting row reduction assign most rows cheaply, then each
/// row left over is assigned along a shortest augmenting path (Dijkstra over reduced costs). O(n^3) in
/// the worst case, far less on the score matrices of unit matching (512 units: milliseconds). A greedy
/// pick of the cheapest pair first is not optimal, and unit matching needs the optimum: a suboptimal
/// matching would report a distance between two networks that a better matching could lower.
/// </summary>
/// <remarks>
/// Optimality is certified by the column prices v it ends with: with u[i] = C[i, p[i]] - v[p[i]],
/// u[i] + v[j] &lt;= C[i, j] for every pair and equality on the assignment (complementary slackness);
/// the tests check that certificate on large random matrices and compare with brute force on small ones.
/// One <see cref="LinearAssignment"/> keeps its buffers, so repeated solves of one size allocate nothing.
/// </remarks>
internal sealed class LinearAssignment
{
    private int[] _rowSol = [], _colSol = [], _free = [], _colList = [], _pred = [], _matches = [];
    private double[] _v = [], _d = [];

    /// <summary>The column prices of the last solve (the dual certificate).</summary>
    public ReadOnlySpan<double> Prices => _v;

    /// <summary>p with p[j] = the column assigned to row j, minimizing sum_j cost[j, p[j]].</summary>
    public static int[] Minimize(double[,] cost)
    {
        int n = cost.GetLength(0);
        if (cost.GetLength(1) != n) throw new ArgumentException($"the cost matrix must be square, not {n} x {cost.GetLength(1)}", nameof(cost));
        var flat = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) flat[i * n + j] = cost[i, j];
        var p = new int[n];
        new LinearAssignment().Solve(flat, n, p);
        return p;
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

    private void Ensure(int n)
    {
        if (_v.Length == n) return;
        _rowSol = new int[n]; _colSol = new int[n]; _free = new int[n]; _colList = new int[n]; _pred = new int[n]; _matches = new int[n];
        _v = new double[n]; _d = new double[n];
    }

    /// <summary>
    /// Solves the n x n problem of the row-major <paramref name="cost"/> into <paramref name="assignment"/>
    /// (assignment[i] = the column of row i), minimizing the total cost.
    /// </summary>
    public void Solve(ReadOnlySpan<double> cost, int n, Span<int> assignment)
    {
        if (cost.Length != n * n) throw new ArgumentException($"expected {n} x {n} costs, got {cost.Length}", nameof(cost));
        foreach (var c in cost)
            if (!double.IsFinite(c)) throw new ArgumentException("the cost matrix must hold finite numbers", nameof(cost));
        if (n == 0) return;
        Ensure(n);
        int[] rowSol = _rowSol, colSol = _colSol, free = _free, colList = _colList, pred = _pred, matches = _matches;
        double[] v = _v, d = _d;
        Array.Fill(matches, 0);

        // Column reduction: each column's price is its smallest cost; that row takes the column if free.
        for (int j = n - 1; j >= 0; j--)
        {
            int iMin = 0;
            double min = cost[j];
            for (int i = 1; i < n; i++)
                if (cost[i * n + j] < min) { min = cost[i * n + j]; iMin = i; }
            v[j] = min;
            if (++matches[iMin] == 1) { rowSol[iMin] = j; colSol[j] = iMin; }
            else if (v[j] < v[rowSol[iMin]]) { int j1 = rowSol[iMin]; rowSol[iMin] = j; colSol[j] = iMin; colSol[j1] = -1; }
            else colSol[j] = -1;
        }

        // Reduction transfer: a row holding one column lowers that column's price to its second best.
        int freeCount = 0;
        for (int i = 0; i < n; i++)
        {
            if (matches[i] == 0) { free[freeCount++] = i; continue; }
            if (matches[i] != 1) continue;
            int j1 = rowSol[i];
            double min = double.PositiveInfinity;
            for (int j = 0; j < n; j++)
                if (j != j1 && cost[i * n + j] - v[j] < min) min = cost[i * n + j] - v[j];
            if (double.IsFinite(min)) v[j1] -= min;
        }

        // Augmenting row reduction, twice: a free row takes its best column, pushing out its holder.
        for (int round = 0; round < 2; round++)
        {
            int k = 0, previous = freeCount;
            freeCount = 0;
            while (k < previous)
            {
                int i = free[k++];
                int row = i * n;
                double uMin = cost[row] - v[0], uSubMin = double.PositiveInfinity;
                int j1 = 0, j2 = 0;
                for (int j = 1; j < n; j++)
                {
                    double h = cost[row + j] - v[j];
                    if (h < uSubMin)
                    {
                        if (h >= uMin) { uSubMin = h; j2 = j; }
                        else { uSubMin = uMin; uMin = h; j2 = j1; j1 = j; }
                    }
                }
                int i0 = colSol[j1];
                bool strict = uMin < uSubMin;
                if (strict) v[j1] -= uSubMin - uMin;
                else if (i0 >= 0) { j1 = j2; i0 = colSol[j2]; }
                rowSol[i] = j1;
                colSol[j1] = i;
                if (i0 >= 0)
                {
                    if (strict) free[--k] = i0; // the displaced row tries again at once
                    else free[freeCount++] = i0;
                }
            }
        }

        // Augmentation: a shortest path (over reduced costs) from each free row to a free column.
        for (int f = 0; f < freeCount; f++)
        {
            int freeRow = free[f];
            for (int j = 0; j < n; j++)
            {
                d[j] = cost[freeRow * n + j] - v[j];
                pred[j] = freeRow;
                colList[j] = j;
            }
            // colList[0, low): done; [low, up): at the current minimum distance; [up, n): farther.
            int low = 0, up = 0, last = 0, end = -1;
            double min = 0;
            while (end < 0)
            {
                if (up == low)
                {
                    last = low - 1;
                    min = d[colList[up++]];
                    for (int k = up; k < n; k++)
                    {
                        int j = colList[k];
                        double h = d[j];
                        if (h <= min)
                        {
                            if (h < min) { up = low; min = h; }
                            colList[k] = colList[up];
                            colList[up++] = j;
                        }
                    }
                    for (int k = low; k < up; k++)
                        if (colSol[colList[k]] < 0) { end = colList[k]; break; }
                }
                if (end >= 0) break;
                int j1 = colList[low++];
                int i = colSol[j1];
                double h1 = cost[i * n + j1] - v[j1] - min;
                for (int k = up; k < n; k++)
                {
                    int j = colList[k];
                    double v2 = cost[i * n + j] - v[j] - h1;
                    if (v2 < d[j])
                    {
                        pred[j] = i;
                        if (v2 == min)
                        {
                            if (colSol[j] < 0) { end = j; break; }
                            colList[k] = colList[up];
                            colList[up++] = j;
                        }
                        d[j] = v2;
                    }
                }
            }
            // Prices of the columns finished on the way, then flip the assignments along the path.
            for (int k = 0; k <= last; k++)
            {
                int j = colList[k];
                v[j] += d[j] - min;
            }
            int r;
            do
            {
                r = pred[end];
                colSol[end] = r;
                (end, rowSol[r]) = (rowSol[r], end);
            } while (r != freeRow);
        }
        rowSol.AsSpan(0, n).CopyTo(assignment);
    }
}
