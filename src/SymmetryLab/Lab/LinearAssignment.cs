using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SymmetryLab.Numerics;

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
/// A solve may start from given prices instead of column reduction (weight matching passes each layer's
/// last prices to its next solve): on compare's 784-512-512-10 pair that cut matching from 0.42-0.56 s
/// to 0.29-0.35 s, the same answer.
/// The scans over a row or all columns (column minima, a free row's two best columns, the shortest
/// paths) run a vector of columns at a time where the hardware has vectors, and make the choices the
/// plain scans make, ties included, so the assignment and the prices are the same bits either way
/// (the tests compare the two).
/// </remarks>
internal sealed class LinearAssignment
{
    private int[] _rowSol = [], _colSol = [], _free = [], _colList = [], _pred = [], _matches = [], _done = [];
    private double[] _v = [], _d = [], _predBits = [], _scan = [], _lanes = [];
    private int[] _kept = [];
    private long[] _lowered = [], _keptAt = [];

    /// <summary>
    /// Augmenting row reduction's budget, in visits per row: far above what it takes on real score
    /// matrices (about 110 per row on two 784-512-512-10 networks), only reached when rows bounce.
    /// </summary>
    private const int VisitsPerRow = 1000;

    /// <summary>How many of its lowest columns a row keeps between visits of augmenting row reduction.</summary>
    private const int Kept = 8;

    /// <summary>Whether the column minima and the shortest paths may take the vector scans (tests turn them off to compare with the plain scans).</summary>
    internal bool Dense { get; init; } = true;

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
        _rowSol = new int[n]; _colSol = new int[n]; _free = new int[n]; _colList = new int[n]; _pred = new int[n]; _matches = new int[n]; _done = new int[n];
        _v = new double[n]; _d = new double[n]; _predBits = new double[n]; _scan = new double[n];
        _kept = new int[n * Kept]; _lowered = new long[n]; _keptAt = new long[n];
    }

    /// <summary>
    /// Solves the n x n problem of the row-major <paramref name="cost"/> into <paramref name="assignment"/>
    /// (assignment[i] = the column of row i), minimizing the total cost.
    /// </summary>
    public void Solve(ReadOnlySpan<double> cost, int n, Span<int> assignment) => Solve(cost, n, assignment, default);

    /// <summary>
    /// As <see cref="Solve(ReadOnlySpan{double}, int, Span{int})"/>, starting from column prices
    /// <paramref name="prices"/> (those of an earlier solve of a similar matrix; when there are not n
    /// of them, column reduction as usual) instead of column reduction: every row starts free and
    /// augmenting row reduction assigns them at those prices. Any prices give an optimal assignment (the
    /// invariants hold from any start); prices near the answer's leave little for augmenting row reduction to do.
    /// </summary>
    public void Solve(ReadOnlySpan<double> cost, int n, Span<int> assignment, ReadOnlySpan<double> prices)
    {
        if (cost.Length != n * n) throw new ArgumentException($"expected {n} x {n} costs, got {cost.Length}", nameof(cost));
        foreach (var c in cost)
            if (!double.IsFinite(c)) throw new ArgumentException("the cost matrix must hold finite numbers", nameof(cost));
        if (n == 0) return;
        Ensure(n);
        bool dense = Dense && (Vector512.IsHardwareAccelerated || Vector.IsHardwareAccelerated);
        int freeCount = n;
        if (prices.Length == n)
        {
            prices.CopyTo(_v);
            Array.Fill(_colSol, -1, 0, n);
            for (int i = 0; i < n; i++) _free[i] = i;
        }
        else freeCount = Reduce(cost, n, dense);
        Augment(cost, n, freeCount, dense);
        _rowSol.AsSpan(0, n).CopyTo(assignment);
    }

    /// <summary>Column reduction and reduction transfer: the first prices and assignments; how many rows are left free (in <see cref="_free"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Reduce(ReadOnlySpan<double> cost, int n, bool dense)
    {
        int[] rowSol = _rowSol, colSol = _colSol, free = _free, matches = _matches;
        double[] v = _v, d = _d;
        Array.Fill(matches, 0);
        // Column reduction: each column's price is its smallest cost; that row takes the column if free.
        if (dense)
        {
            if (Vector512.IsHardwareAccelerated) ColumnMinima<DoubleVector512>(cost, n);
            else ColumnMinima<DoubleVectorN>(cost, n);
        }
        for (int j = n - 1; j >= 0; j--)
        {
            int iMin = 0;
            double min = cost[j];
            if (dense) (min, iMin) = (v[j], (int)d[j]);
            else
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
        return freeCount;
    }

    /// <summary>Augmenting row reduction, then a shortest augmenting path for each row still free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Augment(ReadOnlySpan<double> cost, int n, int freeCount, bool dense)
    {
        int[] rowSol = _rowSol, colSol = _colSol, free = _free, colList = _colList, pred = _pred;
        double[] v = _v, d = _d;

        // Augmenting row reduction, twice: a free row takes its best column, pushing out its holder.
        // (When a price was lowered, and which rows' lowest columns were kept when: see TwoLowest.)
        // Rows with the same real costs (identical units) can outbid each other for a column by steps
        // at the last digit of its price, for ever: after VisitsPerRow visits per row the rows still
        // free are left to the shortest paths below, which are exact from any state this step leaves.
        long clock = 0, visits = 0, cap = (long)VisitsPerRow * n + 1000;
        Array.Clear(_lowered);
        Array.Fill(_keptAt, -1);
        for (int round = 0; round < 2; round++)
        {
            int k = 0, previous = freeCount;
            freeCount = 0;
            while (k < previous)
            {
                if (++visits > cap)
                {
                    while (k < previous) free[freeCount++] = free[k++];
                    break;
                }
                int i = free[k++];
                int row = i * n;
                double uMin = cost[row] - v[0], uSubMin = double.PositiveInfinity;
                int j1 = 0, j2 = 0;
                if (dense && n > 1 && TwoLowest(cost, n, i, clock, out j1, out j2))
                    (uMin, uSubMin) = (cost[row + j1] - v[j1], cost[row + j2] - v[j2]);
                else
                {
                    (j1, j2) = (0, 0);
                    for (int j = 1; j < n; j++)
                    {
                        double h = cost[row + j] - v[j];
                        if (h < uSubMin)
                        {
                            if (h >= uMin) { uSubMin = h; j2 = j; }
                            else { uSubMin = uMin; uMin = h; j2 = j1; j1 = j; }
                        }
                    }
                }
                int i0 = colSol[j1];
                bool strict = uMin < uSubMin;
                if (strict)
                {
                    v[j1] -= uSubMin - uMin;
                    _lowered[j1] = ++clock;
                }
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
            if (dense && (Vector512.IsHardwareAccelerated ? AugmentDense<DoubleVector512>(cost, n, freeRow) : AugmentDense<DoubleVectorN>(cost, n, freeRow)))
                continue;
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
    }

    /// <summary>
    /// The two lowest reduced costs h[j] = cost[i, j] - v[j] of row i (at least two columns), ordered by
    /// value and then by column: the first column to reach the lowest, then the first other column to
    /// reach the lowest of the rest, which is what the scan above finds. Augmenting row reduction can
    /// visit rows tens of thousands of times in one solve (two rows outbidding each other for a column,
    /// by small steps), and between visits only the prices it lowered have changed; a price only goes
    /// down there, so a reduced cost only goes up. Each row keeps its <see cref="Kept"/> lowest columns
    /// (in that order) from its last full scan: while at least two of them have kept their price, the
    /// row's two lowest are among them (every other column was above them all and has not come down),
    /// so a visit looks at those few columns, recomputed exactly, instead of the whole row. False
    /// (nothing found) when a reduced cost is not finite, where the scan's comparisons decide otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TwoLowest(ReadOnlySpan<double> cost, int n, int i, long clock, out int j1, out int j2)
    {
        double[] v = _v;
        var row = cost.Slice(i * n, n);
        int kept = Math.Min(Kept, n);
        var columns = _kept.AsSpan(i * Kept, kept);
        (double Value, int At) best = (double.PositiveInfinity, -1), next = (double.PositiveInfinity, -1);
        if (_keptAt[i] >= 0)
        {
            long at = _keptAt[i];
            int unchanged = 0;
            foreach (int j in columns)
                if (_lowered[j] <= at) unchanged++;
            if (unchanged >= 2 || kept == n)
            {
                foreach (int j in columns) Offer(row[j] - v[j], j, ref best, ref next);
                (j1, j2) = (best.At, next.At);
                return double.IsFinite(best.Value) && double.IsFinite(next.Value);
            }
        }
        bool finite = LowestColumns(row, v.AsSpan(0, n), columns);
        _keptAt[i] = finite ? clock : -1;
        (j1, j2) = (columns[0], columns[1]);
        return finite;
    }

    /// <summary>
    /// The columns of the lowest row[j] - prices[j], by (value, column), into <paramref name="columns"/>
    /// (its length of them, lowest first), by insertion: the list is short and rarely changes. Whether
    /// every difference is finite.
    /// </summary>
    internal static bool LowestColumns(ReadOnlySpan<double> row, ReadOnlySpan<double> prices, Span<int> columns)
    {
        int n = row.Length, kept = columns.Length, count = 0, col = 0;
        Span<double> values = stackalloc double[kept];
        bool finite = true;
        for (; col < n && count < kept; col++) Insert(row[col] - prices[col], col, values, columns, ref count, ref finite);
        // Once the list is full, a vector of columns at a time (512 bits, or Vector<double>'s width).
        if (Vector512.IsHardwareAccelerated) ScanVectors<DoubleVector512>(row, prices, values, columns, ref col, ref count, ref finite);
        else if (Vector.IsHardwareAccelerated) ScanVectors<DoubleVectorN>(row, prices, values, columns, ref col, ref count, ref finite);
        for (; col < n; col++) Insert(row[col] - prices[col], col, values, columns, ref count, ref finite);
        return finite;
    }

    /// <summary>
    /// <see cref="LowestColumns"/> from <paramref name="col"/> on, a whole vector of columns at a time:
    /// only lanes below the list's last value can enter, and they are offered in column order, as the
    /// plain scan offers them; leaves <paramref name="col"/> past the last whole vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScanVectors<TV>(ReadOnlySpan<double> row, ReadOnlySpan<double> prices, Span<double> values, Span<int> columns,
        ref int col, ref int count, ref bool finite) where TV : unmanaged, IDoubleVector<TV>
    {
        int n = row.Length, kept = columns.Length, lanes = TV.Count;
        ref double r0 = ref MemoryMarshal.GetReference(row);
        ref double p0 = ref MemoryMarshal.GetReference(prices);
        var allFinite = TV.CreateInt64(-1);
        var zero = TV.Create(0);
        for (; col <= n - lanes; col += lanes)
        {
            var h = TV.Load(ref Unsafe.Add(ref r0, col)) - TV.Load(ref Unsafe.Add(ref p0, col));
            allFinite &= TV.Equals(h - h, zero);
            for (ulong below = TV.MaskBits(TV.LessThan(h, TV.Create(values[kept - 1]))); below != 0; below &= below - 1)
            {
                int lane = System.Numerics.BitOperations.TrailingZeroCount(below);
                Insert(h.GetElement(lane), col + lane, values, columns, ref count, ref finite);
            }
        }
        finite &= TV.MaskBits(allFinite) == (1UL << lanes) - 1;
    }

    /// <summary>Offers column j at h to the row's sorted list of its lowest (kept while it is short, else only below its last).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Insert(double h, int j, Span<double> values, Span<int> columns, ref int count, ref bool finite)
    {
        int kept = columns.Length;
        finite &= double.IsFinite(h);
        if (count == kept && !(h < values[kept - 1])) return;
        int slot = count < kept ? count++ : kept - 1;
        while (slot > 0 && h < values[slot - 1])
        {
            values[slot] = values[slot - 1];
            columns[slot] = columns[slot - 1];
            slot--;
        }
        values[slot] = h;
        columns[slot] = j;
    }

    /// <summary>Keeps the two lowest (value, column) pairs offered, in that order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(double x, int at, ref (double Value, int At) best, ref (double Value, int At) next)
    {
        if (x < best.Value || (x == best.Value && at < best.At)) { next = best; best = (x, at); }
        else if (x < next.Value || (x == next.Value && at < next.At)) next = (x, at);
    }

    /// <summary>
    /// v[j] = the smallest cost of column j and d[j] the first row that has it, as a scan down each
    /// column finds them, computed row by row (along the rows in memory, a vector of columns at a time).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ColumnMinima<TV>(ReadOnlySpan<double> cost, int n) where TV : unmanaged, IDoubleVector<TV>
    {
        double[] v = _v, d = _d;
        cost[..n].CopyTo(v);
        Array.Clear(d, 0, n);
        ref double v0 = ref MemoryMarshal.GetArrayDataReference(v);
        ref double d0 = ref MemoryMarshal.GetArrayDataReference(d);
        int w = TV.Count;
        for (int i = 1; i < n; i++)
        {
            var row = cost.Slice(i * n, n);
            ref double c0 = ref MemoryMarshal.GetReference(row);
            TV rowIndex = TV.Create(i);
            int j = 0;
            for (; j + w <= n; j += w)
            {
                TV c = TV.Load(ref Unsafe.Add(ref c0, j)), min = TV.Load(ref Unsafe.Add(ref v0, j));
                TV lower = TV.LessThan(c, min);
                TV.Select(lower, c, min).Store(ref Unsafe.Add(ref v0, j));
                TV.Select(lower, rowIndex, TV.Load(ref Unsafe.Add(ref d0, j))).Store(ref Unsafe.Add(ref d0, j));
            }
            for (; j < n; j++)
                if (row[j] < v[j]) { v[j] = row[j]; d[j] = i; }
        }
    }

    /// <summary>
    /// The shortest augmenting path from <paramref name="freeRow"/> as the list search below finds it,
    /// with every column scanned in place a vector at a time (no list of column indices to follow):
    /// the columns are in three states (to scan, at the current minimum, done) as there, and a row's
    /// costs are read straight along its row. The list search breaks ties between columns at equal
    /// distance by where they sit in its list; so while at most one column is ever at the minimum the
    /// two make the same choices in the same order and end with the same prices and assignment, bit for
    /// bit. At the first tie this returns false having changed nothing but its scratch, and the row is
    /// searched the list's way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool AugmentDense<TV>(ReadOnlySpan<double> cost, int n, int freeRow) where TV : unmanaged, IDoubleVector<TV>
    {
        double[] v = _v, d = _d, pred = _predBits, scan = _scan;
        int[] colSol = _colSol, rowSol = _rowSol, done = _done;
        if (_lanes.Length < 4 * TV.Count) _lanes = new double[4 * TV.Count];
        double scanning = BitConverter.Int64BitsToDouble(-1);
        Array.Fill(d, double.PositiveInfinity, 0, n);
        Array.Fill(scan, scanning, 0, n);
        // Distances from the free row: its reduced costs (x - 0 is x, bit for bit), the row as every column's predecessor.
        var (low, at, tie, equal) = Relax<TV>(cost.Slice(freeRow * n, n), freeRow, 0, double.NaN);
        int doneCount = 0, priced = 0, next = -1, end;
        double min = 0;
        while (true)
        {
            if (next < 0)
            {
                // The nearest column still to scan: one, or a tie.
                if (tie || !double.IsFinite(low)) return false;
                min = d[at];
                priced = doneCount;
                scan[at] = 0;
                if (colSol[at] < 0) { end = at; break; }
                next = at;
            }
            int j1 = next, i = colSol[j1];
            next = -1;
            done[doneCount++] = j1;
            double h1 = cost[i * n + j1] - v[j1] - min;
            (low, at, tie, equal) = Relax<TV>(cost.Slice(i * n, n), i, h1, min);
            if (!equal) continue;
            // A column reached at the minimum distance: the next to scan, or the end when it is free.
            int found = -1;
            for (int j = 0; j < n; j++)
                if (BitConverter.DoubleToInt64Bits(scan[j]) != 0 && d[j] == min)
                {
                    if (found >= 0) return false;
                    found = j;
                }
            scan[found] = 0;
            if (colSol[found] < 0) { end = found; break; }
            next = found;
        }
        // Prices of the columns finished before the last minimum was taken, then the assignments along the path.
        for (int k = 0; k < priced; k++)
        {
            int j = done[k];
            v[j] += d[j] - min;
        }
        int r;
        do
        {
            r = (int)BitConverter.DoubleToInt64Bits(pred[end]);
            colSol[end] = r;
            (end, rowSol[r]) = (rowSol[r], end);
        } while (r != freeRow);
        return true;
    }

    /// <summary>
    /// Relaxes the columns still to scan through row <paramref name="i"/> (distance h1 to its column):
    /// d[j] = cost[i, j] - v[j] - h1 where that is shorter, with i as the predecessor. Returns the least
    /// distance over the columns still to scan, a column at it, whether another column shares it, and
    /// whether a column was lowered to exactly <paramref name="min"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Low, int At, bool Tie, bool Equal) Relax<TV>(ReadOnlySpan<double> row, int i, double h1, double min) where TV : unmanaged, IDoubleVector<TV>
    {
        int n = row.Length, w = TV.Count;
        ref double c0 = ref MemoryMarshal.GetReference(row);
        ref double v0 = ref MemoryMarshal.GetArrayDataReference(_v);
        ref double d0 = ref MemoryMarshal.GetArrayDataReference(_d);
        ref double p0 = ref MemoryMarshal.GetArrayDataReference(_predBits);
        ref double s0 = ref MemoryMarshal.GetArrayDataReference(_scan);
        ref double lanes = ref MemoryMarshal.GetArrayDataReference(_lanes);
        TV h = TV.Create(h1), m = TV.Create(min), predecessor = TV.CreateInt64(i), infinity = TV.Create(double.PositiveInfinity);
        TV low = infinity, at = TV.Create(0), tie = TV.Create(0), equal = TV.Create(0), index;
        for (int k = 0; k < w; k++) Unsafe.Add(ref lanes, k) = k;
        index = TV.Load(ref lanes);
        TV step = TV.Create(w);
        int j = 0;
        for (; j + w <= n; j += w, index += step)
        {
            TV open = TV.Load(ref Unsafe.Add(ref s0, j));
            TV dj = TV.Load(ref Unsafe.Add(ref d0, j));
            TV v2 = TV.Load(ref Unsafe.Add(ref c0, j)) - TV.Load(ref Unsafe.Add(ref v0, j)) - h;
            TV lower = TV.LessThan(v2, dj) & open;
            dj = TV.Select(lower, v2, dj);
            dj.Store(ref Unsafe.Add(ref d0, j));
            TV.Select(lower, predecessor, TV.Load(ref Unsafe.Add(ref p0, j))).Store(ref Unsafe.Add(ref p0, j));
            equal |= lower & TV.Equals(v2, m);
            // Per lane: the least distance, where, and whether it was met twice.
            TV candidate = TV.Select(open, dj, infinity);
            TV less = TV.LessThan(candidate, low);
            tie = TV.AndNot(tie | (TV.Equals(candidate, low) & open), less);
            low = TV.Select(less, candidate, low);
            at = TV.Select(less, index, at);
        }
        low.Store(ref lanes);
        at.Store(ref Unsafe.Add(ref lanes, w));
        tie.Store(ref Unsafe.Add(ref lanes, 2 * w));
        equal.Store(ref Unsafe.Add(ref lanes, 3 * w));
        double best = double.PositiveInfinity;
        int where = -1;
        bool twice = false, reached = false;
        for (int k = 0; k < w; k++)
        {
            double x = Unsafe.Add(ref lanes, k);
            reached |= BitConverter.DoubleToInt64Bits(Unsafe.Add(ref lanes, 3 * w + k)) != 0;
            if (x < best) { best = x; where = (int)Unsafe.Add(ref lanes, w + k); twice = BitConverter.DoubleToInt64Bits(Unsafe.Add(ref lanes, 2 * w + k)) != 0; }
            else if (x == best && x < double.PositiveInfinity) twice = true;
        }
        // The columns past the last whole vector, one at a time, as one more lane.
        for (; j < n; j++)
        {
            if (BitConverter.DoubleToInt64Bits(Unsafe.Add(ref s0, j)) == 0) continue;
            double v2 = Unsafe.Add(ref c0, j) - Unsafe.Add(ref v0, j) - h1;
            ref double dj = ref Unsafe.Add(ref d0, j);
            if (v2 < dj)
            {
                dj = v2;
                Unsafe.Add(ref p0, j) = BitConverter.Int64BitsToDouble(i);
                reached |= v2 == min;
            }
            if (dj < best) { best = dj; where = j; twice = false; }
            else if (dj == best) twice = true;
        }
        return (best, where, twice, reached);
    }
}
