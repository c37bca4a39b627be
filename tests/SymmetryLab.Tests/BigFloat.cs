using System.Numerics;

namespace SymmetryLab.Tests;

/// <summary>
/// A slow, simple binary float with a 320-bit mantissa and an unbounded exponent, for independent
/// reference values in tests: mantissa * 2^exponent, rounded towards zero after every operation. Any
/// double converts exactly; exp is computed by halving the argument, a Taylor series and squaring, so
/// its relative error stays far below 1e-60 for the arguments the tests use (|x| up to a few thousand).
/// </summary>
internal readonly struct BigFloat
{
    private const int Bits = 320;
    private readonly BigInteger _m;
    private readonly long _e;

    private BigFloat(BigInteger m, long e)
    {
        // Keep at most Bits significant bits.
        long excess = (long)m.GetBitLength() - Bits;
        if (excess > 0) { m >>= (int)excess; e += excess; }
        _m = m;
        _e = e;
    }

    public static readonly BigFloat Zero = new(0, 0), One = new(1, 0);

    public static BigFloat From(double d)
    {
        if (!double.IsFinite(d)) throw new ArgumentException("not finite");
        if (d == 0) return Zero;
        long bits = BitConverter.DoubleToInt64Bits(d);
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent = 1; else mantissa |= 1L << 52;
        var m = new BigInteger(mantissa);
        return new BigFloat(d < 0 ? -m : m, exponent - 1075);
    }

    public double ToDouble()
    {
        if (_m.IsZero) return 0;
        // Scale the mantissa to 62 bits, then let double arithmetic place the exponent.
        long shift = (long)_m.GetBitLength() - 62;
        var top = shift > 0 ? _m >> (int)shift : _m << (int)-shift;
        return (double)(long)top * Math.Pow(2, _e + shift);
    }

    public int Sign => _m.Sign;

    public static BigFloat operator -(BigFloat a) => new(-a._m, a._e);

    public static BigFloat operator +(BigFloat a, BigFloat b)
    {
        if (a._m.IsZero) return b;
        if (b._m.IsZero) return a;
        if (a._e < b._e) (a, b) = (b, a);
        long gap = a._e - b._e;
        // Far below the precision: b does not change a.
        if (gap > 2 * Bits + (long)a._m.GetBitLength()) return a;
        return new BigFloat((a._m << (int)gap) + b._m, b._e);
    }

    public static BigFloat operator -(BigFloat a, BigFloat b) => a + -b;

    public static BigFloat operator *(BigFloat a, BigFloat b) => new(a._m * b._m, a._e + b._e);

    public static BigFloat operator /(BigFloat a, BigFloat b)
    {
        if (b._m.IsZero) throw new DivideByZeroException();
        int shift = Bits + (int)b._m.GetBitLength();
        return new BigFloat((a._m << shift) / b._m, a._e - b._e - shift);
    }

    public static BigFloat operator *(BigFloat a, double b) => a * From(b);

    public static implicit operator BigFloat(double d) => From(d);

    /// <summary>e^x: x halved k times until below 2^-8, then 40 Taylor terms, then squared k times.</summary>
    public static BigFloat Exp(BigFloat x)
    {
        int k = 8 + Math.Max(0, (int)Math.Ceiling(Math.Log2(Math.Max(1, Math.Abs(x.ToDouble())))));
        var y = x;
        for (int i = 0; i < k; i++) y = new BigFloat(y._m, y._e - 1);
        BigFloat sum = One, term = One;
        for (int n = 1; n <= 40; n++)
        {
            term = term * y / From(n);
            sum += term;
        }
        for (int i = 0; i < k; i++) sum *= sum;
        return sum;
    }

    /// <summary>sigma(z) = 1 / (1 + e^-z).</summary>
    public static BigFloat Sigmoid(BigFloat z) => One / (One + Exp(-z));

    /// <summary>sigma'(z) = e^-|z| / (1 + e^-|z|)^2, with no cancellation however far z is from 0.</summary>
    public static BigFloat SigmoidSlope(BigFloat z)
    {
        var e = Exp(z.Sign > 0 ? -z : z);
        var d = One + e;
        return e / (d * d);
    }

    /// <summary>sigma(z) - t for t in {0, 1}: 1 - sigma(z) computed as sigma(-z), so no digits cancel.</summary>
    public static BigFloat SigmoidMinus(BigFloat z, double t) => t == 1 ? -Sigmoid(-z) : Sigmoid(z);
}
