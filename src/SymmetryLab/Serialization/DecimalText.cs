using System.Globalization;
using System.Runtime.CompilerServices;

namespace SymmetryLab.Serialization;

/// <summary>
/// A JSON number's text to float or double, correctly rounded (the bits <c>T.Parse</c> gives), fast for
/// the numbers model files hold: a model is a million short decimals, and the general parser spent
/// about 100 ns on each.
/// </summary>
/// <remarks>
/// The fast path takes [-]digits[.digits][e[+|-]digits] with at most 15 significant digits d and a
/// power of ten 10^e with |e| &lt;= 22. Then d and 10^|e| are exact doubles and one multiplication or
/// division rounds once (Clinger, 1990), so the double is correctly rounded. A float is that double
/// rounded again, which is the correctly rounded float unless the double sits exactly halfway between
/// two floats (every such halfway point is a double, so the double lies on the same side of each of them
/// as the exact value, or on one): that case, and any text outside the fast path's form, goes to the
/// general parser.
/// </remarks>
internal static class DecimalText
{
    private static readonly double[] Powers = [.. Enumerable.Range(0, 23).Select(i => Math.Pow(10, i))];

    /// <summary>The value of <paramref name="text"/> (JSON number syntax), as <c>T.TryParse</c> with invariant culture reads it.</summary>
    public static bool TryParse<T>(ReadOnlySpan<byte> text, out T value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((typeof(T) == typeof(float) || typeof(T) == typeof(double)) && TryFast(text, out double x))
        {
            if (typeof(T) == typeof(double))
            {
                value = Unsafe.As<double, T>(ref x);
                return true;
            }
            // Halfway between two floats (the 29 bits a float drops are 1 followed by zeros): the double
            // may have rounded onto it from either side, so only the general parser knows.
            if ((BitConverter.DoubleToInt64Bits(x) & 0x1FFF_FFFF) != 0x1000_0000)
            {
                float f = (float)x;
                value = Unsafe.As<float, T>(ref f);
                return true;
            }
        }
        return T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// A model file's weight, bias or normalization number in T: the exact text in T, or for a float32
    /// file in float32 (then held exactly in T, so a float32 weight keeps its bits whatever reads it);
    /// false when it is not a finite number there. Both model readers take this one rule.
    /// </summary>
    public static bool TryParseFinite<T>(ReadOnlySpan<byte> text, bool float32, out T value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!float32 || typeof(T) == typeof(float)) return TryParse(text, out value) && T.IsFinite(value);
        bool ok = TryParse(text, out float single) && float.IsFinite(single);
        value = T.CreateChecked(single);
        return ok;
    }

    /// <summary>The correctly rounded double of the text, when it is of the fast path's form.</summary>
    private static bool TryFast(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        int i = 0, n = text.Length;
        bool negative = i < n && text[i] == (byte)'-';
        if (negative) i++;
        ulong digits = 0;
        int significant = 0, scale = 0, start = i;
        for (; i < n && (uint)(text[i] - '0') <= 9; i++)
        {
            if (digits != 0 || text[i] != '0') significant++;
            digits = digits * 10 + (uint)(text[i] - '0');
        }
        if (i == start || significant > 15) return false;
        if (i < n && text[i] == '.')
        {
            int fraction = ++i;
            for (; i < n && (uint)(text[i] - '0') <= 9; i++)
            {
                if (digits != 0 || text[i] != '0') significant++;
                digits = digits * 10 + (uint)(text[i] - '0');
                scale--;
            }
            if (i == fraction || significant > 15) return false;
        }
        if (i < n && (text[i] | 0x20) == 'e')
        {
            i++;
            bool down = i < n && text[i] == '-';
            if (i < n && (text[i] == '-' || text[i] == '+')) i++;
            int exponent = 0, first = i;
            for (; i < n && (uint)(text[i] - '0') <= 9 && exponent < 1000; i++) exponent = exponent * 10 + (text[i] - '0');
            if (i == first) return false;
            scale += down ? -exponent : exponent;
        }
        if (i != n || scale < -22 || scale > 22) return false;
        double d = digits;
        value = scale < 0 ? d / Powers[-scale] : d * Powers[scale];
        if (negative) value = -value;
        return true;
    }
}
