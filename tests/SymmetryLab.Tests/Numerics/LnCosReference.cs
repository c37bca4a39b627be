using System.Numerics;

namespace SymmetryLab.Tests.Numerics;

/// <summary>
/// Independent reference values of ln and cos for the correctly rounded functions' tests: 400-bit
/// fixed point with System.Numerics.BigInteger, by other algorithms than the library's (no table, no
/// pi, no argument reduction, no atanh series): ln m by Newton's method on exp (y &lt;- y + m e^-y - 1),
/// cos x by its Taylor series at x itself. Rounding to a double refuses a value within the error bound
/// of a midpoint, so a reference value is never itself in doubt.
/// </summary>
internal static class LnCosReference
{
    public const int Bits = 400;
    private static readonly BigInteger One = BigInteger.One << Bits;
    private static readonly BigInteger Ln2 = LnOfFixed(2 * One);

    /// <summary>A bound on the error of every value here, in units of 2^-400 (per unit of |exponent| + 1 for ln).</summary>
    public static readonly BigInteger ErrorUnits = BigInteger.One << 16;

    /// <summary>ln x times 2^400 for positive finite x.</summary>
    public static BigInteger LnFixed(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int e = (int)(bits >> 52) - 1023;
        if (e == -1023) return LnFixed(x * 18014398509481984.0) - 54 * Ln2; // subnormal: times 2^54
        var m = new BigInteger((bits & 0xFFFFFFFFFFFFFL) | (1L << 52)) << (Bits - 52);
        return e * Ln2 + LnOfFixed(m);
    }

    /// <summary>ln x correctly rounded, from its <see cref="LnFixed"/> value.</summary>
    public static double RoundLn(double x, BigInteger lnFixed) => RoundToDouble(lnFixed, ErrorUnits * (Math.Abs(Math.ILogB(x)) + 1));

    /// <summary>cos x times 2^400 for |x| &lt;= 8.</summary>
    public static BigInteger CosFixed(double x)
    {
        var xf = ToFixed(Math.Abs(x));
        var x2 = xf * xf >> Bits;
        BigInteger sum = One, term = One;
        for (int n = 1; !term.IsZero; n++)
        {
            term = -(term * x2 >> Bits) / ((2 * n - 1) * (2 * n));
            sum += term;
        }
        return sum;
    }

    /// <summary>cos x correctly rounded, from its <see cref="CosFixed"/> value.</summary>
    public static double RoundCos(BigInteger cosFixed) => RoundToDouble(cosFixed, ErrorUnits);

    /// <summary>A double (or a double-double's sum) times 2^400, exactly down to 2^-400.</summary>
    public static BigInteger ToFixed(double x)
    {
        if (x == 0) return BigInteger.Zero;
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(x));
        int biased = (int)(bits >> 52);
        long mantissa = (bits & 0xFFFFFFFFFFFFFL) | (biased == 0 ? 0 : 1L << 52);
        int shift = Bits + Math.Max(biased, 1) - 1075;
        var v = shift >= 0 ? new BigInteger(mantissa) << shift : new BigInteger(mantissa) >> -shift;
        return x < 0 ? -v : v;
    }

    /// <summary>Newton's method for e^y = m: from y = 2(m - 1)/(m + 1), until a step is far below the error, then once more.</summary>
    private static BigInteger LnOfFixed(BigInteger m)
    {
        var y = 2 * ((m - One) << Bits) / (m + One);
        for (int i = 0; i < 40; i++)
        {
            var step = (m * Exp(-y) >> Bits) - One;
            y += step;
            if (BigInteger.Abs(step) < BigInteger.One << 40) return y + ((m * Exp(-y) >> Bits) - One);
        }
        throw new InvalidOperationException("Newton's method did not converge");
    }

    /// <summary>e^y by its Taylor series, for |y| &lt;= 1.</summary>
    private static BigInteger Exp(BigInteger y)
    {
        BigInteger sum = One, term = One;
        for (int n = 1; !term.IsZero; n++)
        {
            term = (term * y >> Bits) / n;
            sum += term;
        }
        return sum;
    }

    /// <summary>value 2^-400 rounded to the nearest double; throws if it lies within error of a midpoint.</summary>
    private static double RoundToDouble(BigInteger value, BigInteger error)
    {
        if (value.IsZero) throw new InvalidOperationException("zero");
        var n = BigInteger.Abs(value);
        int excess = (int)n.GetBitLength() - 53;
        var q = n >> excess;
        var rest = n - (q << excess);
        var half = BigInteger.One << (excess - 1);
        if (BigInteger.Abs(rest - half) <= error) throw new InvalidOperationException("reference too near a midpoint");
        if (rest > half) q += 1;
        double d = Math.ScaleB((double)q, excess - Bits);
        return value.Sign < 0 ? -d : d;
    }
}
