using System.Numerics;

namespace SymmetryLab.Numerics;

/// <summary>
/// ln x, cos x and sin x correctly rounded by exact integer arithmetic, for the rare inputs whose fast
/// double-double value lies too near a rounding boundary (Ziv's strategy): the value in fixed point with
/// f fraction bits and a proven bound on its error, rounded when the whole interval rounds to one double,
/// else again with twice the bits. It always ends: ln x (x != 1), cos x and sin x (x != 0) of a double are
/// transcendental, so never exactly a midpoint between doubles. Slow (microseconds) and rarely reached.
/// </summary>
/// <remarks>
/// Errors are counted in units of 2^-f: every truncating shift or division adds at most one, and each
/// series' terms shrink by a factor below 1/3, so an error carried into the next term shrinks too.
/// ln y = 2 atanh((y - 1)/(y + 1)) for y in [1/sqrt 2, sqrt 2] and ln 2 = 2 atanh(1/3); pi by Machin's
/// formula; cos x and sin x = +-cos r or +-sin r with r = x - k pi/2, |r| &lt;= pi/4, by their Taylor series.
/// </remarks>
internal static class FixedPointLnCos
{
    private const int StartBits = 128;

    /// <summary>ln x for positive finite x other than 1.</summary>
    public static double Log(double x)
    {
        for (int f = StartBits; ; f *= 2)
        {
            var (value, error) = LogFixed(x, f);
            if (TryRound(value, error, f, out double result)) return result;
        }
    }

    /// <summary>cos x for finite x &gt; 0.</summary>
    public static double Cos(double x) => CosOfShifted(x, 0);

    /// <summary>sin x = cos(x - pi/2) for finite x &gt;= 2^-26 (below, sin x rounds to x).</summary>
    public static double Sin(double x) => CosOfShifted(x, 1);

    private static double CosOfShifted(double x, int quarterTurns)
    {
        for (int f = StartBits; ; f *= 2)
        {
            var (value, error) = CosFixed(x, f, quarterTurns);
            if (TryRound(value, error, f, out double result)) return result;
        }
    }

    /// <summary>ln x times 2^f and a bound on its error in units.</summary>
    internal static (BigInteger Value, BigInteger Error) LogFixed(double x, int f)
    {
        var (mantissa, exponent) = Decompose(x); // x = mantissa 2^exponent, mantissa in [2^52, 2^53)
        int e = exponent + 52;
        // y = mantissa 2^-52 in [1, 2); halve it above sqrt 2.
        if (mantissa > 0x16A09E667F3BCDL) e++;
        var one = BigInteger.One << f;
        var y = (new BigInteger(mantissa) << f) >> (e - exponent);
        var (lnY, lnYError) = TwiceAtanh((y - one << f) / (y + one), f);
        var (ln2, ln2Error) = TwiceAtanh((one << f) / (3 * one), f);
        return (e * ln2 + lnY, Math.Abs(e) * ln2Error + lnYError);
    }

    /// <summary>2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...) for |s| &lt;= 1/3 given with error below one unit.</summary>
    private static (BigInteger Value, BigInteger Error) TwiceAtanh(BigInteger s, int f)
    {
        if (s.Sign < 0)
        {
            // atanh is odd; and a shift of a negative number rounds down, so it would never reach 0.
            var (value, error) = TwiceAtanh(-s, f);
            return (-value, error);
        }
        var s2 = s * s >> f;
        BigInteger sum = s, power = s;
        long terms = 1;
        for (int k = 3; !power.IsZero; k += 2, terms++)
        {
            power = power * s2 >> f;
            sum += power / k;
        }
        // s's unit, s2's unit, and each term's two truncations, all carried with factors below 1.
        return (2 * sum, 2 * (3 * terms + 3));
    }

    /// <summary>
    /// cos(x - quarterTurns pi/2) times 2^f and a bound on its error in units, for finite x &gt;= 0: x - k pi/2
    /// with pi to f + 16 bits more than x has before the point, so that k's multiple of pi's error stays
    /// below a unit when r is cut back to f bits.
    /// </summary>
    internal static (BigInteger Value, BigInteger Error) CosFixed(double x, int f, int quarterTurns = 0)
    {
        var (mantissa, exponent) = Decompose(x);
        int extra = Math.Max(0, exponent + 53) + 16, g = f + extra;
        int shift = g + exponent;
        var xg = shift >= 0 ? new BigInteger(mantissa) << shift : new BigInteger(mantissa) >> -shift; // error < 1 unit of 2^-g
        var (pi, piError) = Pi(g);
        var halfPi = pi >> 1;
        var k = (2 * xg + halfPi) / (2 * halfPi); // nearest multiple of pi/2
        var r = xg - k * halfPi >> extra; // the shift rounds down: one more unit
        BigInteger rError = 2 + (1 + k * (piError + 1) >> extra);
        // sin r = r - r^3/3! + ..., cos r = 1 - r^2/2! + ...; (k - quarterTurns) mod 4 picks +-cos r or +-sin r.
        int quadrant = (int)((k + 4 - quarterTurns) % 4);
        bool odd = (quadrant & 1) != 0;
        var r2 = r * r >> f;
        BigInteger term = odd ? r : BigInteger.One << f, sum = term;
        long terms = 1;
        for (int n = odd ? 2 : 1; !term.IsZero; n += 2, terms++)
        {
            term = -(term * r2 >> f) / (n * (n + 1));
            sum += term;
        }
        return (quadrant is 1 or 2 ? -sum : sum, 2 * rError + 3 * terms + 3);
    }

    /// <summary>pi times 2^f = 16 atan(1/5) - 4 atan(1/239), and a bound on its error in units.</summary>
    internal static (BigInteger Value, BigInteger Error) Pi(int f)
    {
        var (a5, e5) = AtanOfInverse(5, f);
        var (a239, e239) = AtanOfInverse(239, f);
        return (16 * a5 - 4 * a239, 16 * e5 + 4 * e239);
    }

    private static (BigInteger Value, long Error) AtanOfInverse(int n, int f)
    {
        var power = (BigInteger.One << f) / n;
        BigInteger sum = 0;
        long terms = 0;
        for (int k = 1; !power.IsZero; k += 2, terms++)
        {
            sum += (k & 2) == 0 ? power / k : -(power / k);
            power /= n * n;
        }
        return (sum, 2 * terms + 1);
    }

    /// <summary>x = mantissa 2^exponent with mantissa in [2^52, 2^53) for positive normal x (subnormal x scaled).</summary>
    private static (long Mantissa, int Exponent) Decompose(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int biased = (int)(bits >> 52);
        if (biased == 0)
        {
            var (m, e) = Decompose(x * 18014398509481984.0);
            return (m, e - 54);
        }
        return ((bits & 0x000FFFFFFFFFFFFF) | 0x0010000000000000, biased - 1075);
    }

    /// <summary>The double nearest value 2^-f, if every value within error of it rounds to that same double.</summary>
    private static bool TryRound(BigInteger value, BigInteger error, int f, out double result)
    {
        result = Round(value - error, f);
        return result == Round(value + error, f) && (value - error).Sign == (value + error).Sign;
    }

    /// <summary>value 2^-f rounded to the nearest double, ties to even (normal results only).</summary>
    private static double Round(BigInteger value, int f)
    {
        if (value.Sign < 0) return -Round(-value, f);
        long excess = (long)value.GetBitLength() - 53;
        if (excess <= 0) return Math.ScaleB((double)value, -f);
        var q = value >> (int)excess;
        var rest = value - (q << (int)excess);
        var half = BigInteger.One << (int)(excess - 1);
        if (rest > half || (rest == half && !q.IsEven)) q += 1;
        return Math.ScaleB((double)q, (int)excess - f);
    }
}
