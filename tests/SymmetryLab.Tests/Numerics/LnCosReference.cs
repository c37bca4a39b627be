using System.Numerics;

namespace SymmetryLab.Tests.Numerics;

/// <summary>
/// Independent reference values of ln, cos and sin for the correctly rounded functions' tests: 400-bit
/// fixed point with System.Numerics.BigInteger, by other algorithms than the library's (no table, no
/// atanh series, no reduction by pi/64 or pi/2): ln m by Newton's method on exp (y &lt;- y + m e^-y - 1),
/// cos x and sin x by their Taylor series at x itself for |x| &lt;= 8, beyond that at x - 2 pi k with pi
/// to 1,700 bits by Gauss's formula (the library uses Machin's); sin x for |x| &lt; 1 as x times its
/// series in x^2, so tiny and subnormal x keep their precision. Rounding to a double refuses a value within
/// the error bound of a midpoint, so a reference value is never itself in doubt.
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

    /// <summary>cos x times 2^400 for finite x.</summary>
    public static BigInteger CosFixed(double x) => Series(Angle(Math.Abs(x)), sine: false);

    /// <summary>cos x correctly rounded, from its <see cref="CosFixed"/> value.</summary>
    public static double RoundCos(BigInteger cosFixed) => RoundToDouble(cosFixed, ErrorUnits);

    /// <summary>sin x times 2^Scale for finite x (Scale = 400 unless |x| &lt; 1, where it is 400 plus x's binary exponent's distance below 2^52).</summary>
    public static (BigInteger Value, int Scale) SinFixed(double x)
    {
        if (Math.Abs(x) >= 1)
        {
            var r = Angle(Math.Abs(x));
            var sin = Series(r, sine: true);
            return (x < 0 ? -sin : sin, Bits);
        }
        // sin x = x (1 - x^2/3! + x^4/5! - ...), x = m 2^e exactly.
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(x));
        int biased = (int)(bits >> 52);
        long m = (bits & 0xFFFFFFFFFFFFFL) | (biased == 0 ? 0 : 1L << 52);
        int e = Math.Max(biased, 1) - 1075;
        var xf = ToFixed(x);
        var x2 = xf * xf >> Bits;
        BigInteger sum = One, term = One;
        for (int n = 1; !term.IsZero; n++)
        {
            term = -(term * x2 >> Bits) / ((2 * n) * (2 * n + 1));
            sum += term;
        }
        var value = m * sum;
        return (x < 0 ? -value : value, Bits - e);
    }

    /// <summary>sin x correctly rounded, from its <see cref="SinFixed"/> value.</summary>
    public static double RoundSin((BigInteger Value, int Scale) sinFixed) =>
        RoundToDouble(sinFixed.Value, sinFixed.Scale, sinFixed.Scale == Bits ? ErrorUnits : ErrorUnits << 53);

    /// <summary>pi times 2^1700 = 4 (12 atan(1/18) + 8 atan(1/57) - 5 atan(1/239)) (Gauss), within 2^16 units.</summary>
    private static readonly BigInteger PiWide = 4 * (12 * AtanOfInverse(18) + 8 * AtanOfInverse(57) - 5 * AtanOfInverse(239));
    private const int WideBits = 1700;

    private static BigInteger AtanOfInverse(int n)
    {
        BigInteger sum = 0, power = (BigInteger.One << WideBits) / n;
        for (int k = 1; !power.IsZero; k += 2, power /= n * n) sum += (k & 2) == 0 ? power / k : -(power / k);
        return sum;
    }

    /// <summary>x &gt;= 0 times 2^400, reduced to x - 2 pi k (nearest k) beyond 8: within 2^-500 of it even at 2^1024.</summary>
    private static BigInteger Angle(double x)
    {
        if (x <= 8) return ToFixed(x);
        long bits = BitConverter.DoubleToInt64Bits(x);
        var wide = new BigInteger((bits & 0xFFFFFFFFFFFFFL) | (1L << 52)) << ((int)(bits >> 52) - 1075 + WideBits);
        var twoPi = 2 * PiWide;
        var k = (2 * wide + twoPi) / (2 * twoPi);
        return wide - k * twoPi >> (WideBits - Bits);
    }

    /// <summary>cos r = 1 - r^2/2! + ... or sin r = r - r^3/3! + ..., 400-bit, for |r| &lt;= 8.</summary>
    private static BigInteger Series(BigInteger r, bool sine)
    {
        var r2 = r * r >> Bits;
        BigInteger sum = sine ? r : One, term = sum;
        for (int n = sine ? 2 : 1; !term.IsZero; n += 2)
        {
            term = -(term * r2 >> Bits) / (n * (n + 1));
            sum += term;
        }
        return sum;
    }

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
    private static double RoundToDouble(BigInteger value, BigInteger error) => RoundToDouble(value, Bits, error);

    /// <summary>value 2^-scale rounded to the nearest double (subnormals to multiples of 2^-1074); throws if it lies within error of a midpoint.</summary>
    private static double RoundToDouble(BigInteger value, int scale, BigInteger error)
    {
        if (value.IsZero) throw new InvalidOperationException("zero");
        var n = BigInteger.Abs(value);
        int excess = Math.Max((int)n.GetBitLength() - 53, scale - 1074);
        var q = n >> excess;
        var rest = n - (q << excess);
        var half = BigInteger.One << (excess - 1);
        if (BigInteger.Abs(rest - half) <= error) throw new InvalidOperationException("reference too near a midpoint");
        if (rest > half) q += 1;
        double d = Math.ScaleB((double)q, excess - scale);
        return value.Sign < 0 ? -d : d;
    }
}
