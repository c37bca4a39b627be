using System.Numerics;
using System.Runtime.CompilerServices;
using static SymmetryLab.Numerics.ErrorFreeSums;
using static SymmetryLab.Numerics.LnCosTables;

namespace SymmetryLab.Numerics;

/// <summary>
/// The argument reduction of <see cref="CorrectlyRoundedCos"/> and <see cref="CorrectlyRoundedSin"/>: a
/// finite x &gt;= 0 as j pi/64 + t with j an integer and |t| &lt;= pi/128 (a hair more where j is picked in
/// floating point), t as an unevaluated pair th + tl, with a bound on its absolute error.
/// </summary>
/// <remarks>
/// <para>Below <see cref="CodyWaiteLimit"/> = 2^20 (j &lt; 2^24.4), Cody-Waite with pi/64 in three parts
/// (their sum within 2^-160 of pi/64): x - j PiOver64High is exact in one fused multiply-add (it is x where
/// j = 0; elsewhere x &gt; 2^-6 and j PiOver64High are multiples of 2^-58 and their difference is below 2^-5,
/// so it fits in 53 bits), j PiOver64Mid
/// is an exact pair, and what is left (the constant's 2^-160 times j, the roundings of the small terms,
/// below j 2^-160) is inside the bound j 2^-150 returned with t. That bound matters only where t is
/// tiny (x near a multiple of pi/2): elsewhere it is far below the result's ulp.</para>
/// <para>From 2^20 up to the largest double, exact: x = m 2^e (m an integer below 2^53, e &lt;= 971) times
/// G = 64/pi 2^1280 as a BigInteger (G within 2 of the exact value), so x 64/pi is known to within
/// 2^(53 + 971 - 1280 + 1) &lt; 2^-250 of its units (pi/64): j is its nearest integer and the fraction,
/// cut to its top 106 bits and multiplied by pi/64 as a pair, gives t within 2^-100 of itself plus 2^-240
/// absolute (which matters only where the result is tiny: no double comes nearer than about 2^-61 to a
/// multiple of pi/2).</para>
/// </remarks>
internal static class TrigReduction
{
    /// <summary>Below this, Cody-Waite; from it up, the exact reduction with a BigInteger 64/pi.</summary>
    public const double CodyWaiteLimit = 1048576;

    /// <summary>2^-150: the absolute error of t per unit of j on the Cody-Waite path.</summary>
    private const double ErrorPerMultiple = 7.006492321624085e-46;

    /// <summary>2^-240: the absolute error of t on the exact path (its relative error, 2^-100, is in the caller's bound).</summary>
    private const double LargeError = 5.6902623986817984e-73;

    private const int FractionBits = 1280;

    /// <summary>floor(64/pi 2^1280), from <see cref="FixedPointLnCos.Pi"/> with 32 bits to spare; made on first use.</summary>
    private static readonly Lazy<BigInteger> SixtyFourOverPiFixed = new(() =>
    {
        int f = FractionBits + 32;
        return (BigInteger.One << (FractionBits + 6 + f)) / FixedPointLnCos.Pi(f).Value;
    });

    /// <summary>x = j pi/64 + th + tl for finite x &gt;= 0; returns j mod 128 and sets error to a bound on |t - th - tl|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Reduce(double x, out double th, out double tl, out double error)
    {
        if (x >= CodyWaiteLimit) return ReduceExactly(x, out th, out tl, out error);
        double j = Math.Round(x * SixtyFourOverPi);
        double t1 = Math.FusedMultiplyAdd(-j, PiOver64High, x);
        var (p, pl) = TwoProduct(j, PiOver64Mid);
        var (h, e) = TwoSum(t1, -p);
        (th, tl) = TwoSum(h, e - pl - j * PiOver64Low);
        error = j * ErrorPerMultiple;
        return (int)j & 127;
    }

    private static int ReduceExactly(double x, out double th, out double tl, out double error)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int shift = FractionBits - ((int)(bits >> 52) - 1075); // x 64/pi = m G 2^-shift
        var product = new BigInteger((bits & 0x000FFFFFFFFFFFFF) | 0x0010000000000000) * SixtyFourOverPiFixed.Value;
        var j = product >> shift;
        var fraction = product - (j << shift);
        if (fraction >= BigInteger.One << (shift - 1))
        {
            j += 1;
            fraction -= BigInteger.One << shift;
        }
        var (fh, fl) = ToPair(fraction, shift);
        // t = (fh + fl) pi/64, with pi/64 = PiOver64High + PiOver64Mid (within 2^-110 of it, relative).
        var (p, pe) = TwoProduct(fh, PiOver64High);
        (th, tl) = FastTwoSum(p, pe + fh * PiOver64Mid + fl * PiOver64High);
        error = LargeError;
        return (int)(j & 127);
    }

    /// <summary>value 2^-shift as a pair of doubles, its top 106 bits (truncated): within 2^-105 of it, relative.</summary>
    private static (double High, double Low) ToPair(BigInteger value, int shift)
    {
        if (value.Sign < 0)
        {
            var (h, l) = ToPair(-value, shift);
            return (-h, -l);
        }
        int drop = (int)value.GetBitLength() - 106;
        var top = drop >= 0 ? value >> drop : value << -drop; // in [2^105, 2^106)
        var high = top >> 53;
        var low = top - (high << 53);
        return (Math.ScaleB((double)(long)high, 53 + drop - shift), Math.ScaleB((double)(long)low, drop - shift));
    }
}
