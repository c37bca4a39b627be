namespace SymmetryLab.Numerics;

/// <summary>
/// b^t for a whole t, correctly rounded in practice, without the C library: Adam's bias corrections
/// 1 - b1^t and 1 - b2^t, whose bits every step's update depends on, must not change with the machine's
/// libm (Math.Pow calls the C library's pow, whose last bit may differ between implementations).
/// </summary>
/// <remarks>
/// Exponentiation by squaring in double-double arithmetic (products exact through fused multiply-adds,
/// about 100 bits kept), rounded once at the end. For b = 0.9 and 0.999 and every t up to 20 million the
/// corrections 1 - b^t and sqrt(1 - b^t) equal those from glibc's Math.Pow bit for bit (checked once
/// over all 20 million; ExactPowerTests checks every t to 5,000 and every 37th to 800,000 on each run).
/// </remarks>
internal static class ExactPower
{
    public static double Of(double b, long t)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(t);
        double rh = 1, rl = 0, bh = b, bl = 0;
        while (t > 0)
        {
            if ((t & 1) != 0) (rh, rl) = Multiply(rh, rl, bh, bl);
            t >>= 1;
            if (t > 0) (bh, bl) = Multiply(bh, bl, bh, bl);
        }
        return rh + rl;
    }

    /// <summary>(ah + al)(bh + bl) as a normalized double-double (the al * bl term is below its precision).</summary>
    private static (double High, double Low) Multiply(double ah, double al, double bh, double bl)
    {
        double p = ah * bh;
        double e = Math.FusedMultiplyAdd(ah, bh, -p);
        e = Math.FusedMultiplyAdd(ah, bl, Math.FusedMultiplyAdd(al, bh, e));
        double s = p + e;
        return (s, e - (s - p));
    }
}
