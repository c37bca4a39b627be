namespace SymmetryLab.Engine.Losses;

/// <summary>
/// A sum of many terms in eight running sums (term i into sum i mod 8), added pairwise at the end:
/// eight independent chains instead of one long one, in an order fixed by the terms' positions alone
/// (so a cost is the same bits whichever path computed it).
/// </summary>
internal readonly ref struct PartialSums
{
    private readonly Span<double> _sums;

    /// <summary>Keeps the eight sums in <paramref name="sums"/>, from zero unless told to go on from what it holds.</summary>
    public PartialSums(Span<double> sums, bool clear = true)
    {
        _sums = sums[..8];
        if (clear) _sums.Clear();
    }

    /// <summary>Adds term number <paramref name="i"/>.</summary>
    public void Add(int i, double term) => _sums[i & 7] += term;

    /// <summary>The eight sums added pairwise.</summary>
    public double Total => ((_sums[0] + _sums[1]) + (_sums[2] + _sums[3])) + ((_sums[4] + _sums[5]) + (_sums[6] + _sums[7]));
}
