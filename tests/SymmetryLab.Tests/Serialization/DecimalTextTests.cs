using System.Globalization;
using System.Text;
using SymmetryLab.Numerics;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Serialization;

/// <summary>The fast decimal reader against .NET's parser, bit for bit, on what model files hold and on what they could.</summary>
public class DecimalTextTests
{
    private static void Same<T>(string text) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool expectedOk = T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out T expected);
        bool ok = DecimalText.TryParse(Encoding.UTF8.GetBytes(text), out T value);
        Assert.True(ok == expectedOk, $"{typeof(T).Name} '{text}': read {ok}, .NET {expectedOk}");
        if (ok) Assert.True(value.Equals(expected) && T.IsNegative(value) == T.IsNegative(expected), $"{typeof(T).Name} '{text}': {value:R}, .NET {expected:R}");
    }

    [Fact]
    public void Shortest_texts_of_random_floats_and_doubles_read_back_to_their_bits()
    {
        var rng = new Rng(5);
        for (int i = 0; i < 100_000; i++)
        {
            // Weights as training leaves them (normal, scaled), and any finite bit pattern.
            float f = i % 2 == 0 ? (float)(rng.NextNormal() * Math.Pow(10, rng.NextInt(9) - 6)) : BitConverter.Int32BitsToSingle((int)rng.NextUInt64());
            if (float.IsFinite(f))
            {
                Same<float>(f.ToString("R", CultureInfo.InvariantCulture));
                Same<double>(f.ToString("R", CultureInfo.InvariantCulture));
            }
            double d = i % 2 == 0 ? rng.NextNormal() : BitConverter.Int64BitsToDouble((long)rng.NextUInt64());
            if (double.IsFinite(d))
            {
                Same<double>(d.ToString("R", CultureInfo.InvariantCulture));
                // Fewer digits: the fast path's own texts for doubles.
                Same<double>(d.ToString("G" + (1 + i % 15), CultureInfo.InvariantCulture));
                Same<float>(d.ToString("G" + (1 + i % 15), CultureInfo.InvariantCulture));
            }
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("0.000")]
    [InlineData("1e5")]
    [InlineData("1E-05")]
    [InlineData("-2.5e+3")]
    [InlineData("16777217")] // halfway between two floats: ties to even
    [InlineData("16777219")]
    [InlineData("33554434")]
    [InlineData("1.6777217000001e7")]
    [InlineData("123456789012345")] // 15 digits
    [InlineData("1234567890123456")] // 16: the general parser
    [InlineData("0.000000000000000000001")]
    [InlineData("1e22")]
    [InlineData("1e23")]
    [InlineData("1e-22")]
    [InlineData("1e-23")]
    [InlineData("3.4028235e38")]
    [InlineData("1e39")] // a float overflows
    [InlineData("1e-46")] // a float underflows
    [InlineData("1.401298464324817e-45")]
    [InlineData("9007199254740993")]
    [InlineData("0.1")]
    [InlineData("0.30000000000000004")]
    [InlineData("1e00000000000000000005")]
    public void Edges_read_as_dotnet_reads_them(string text)
    {
        Same<float>(text);
        Same<double>(text);
    }

    [Theory]
    [InlineData("0.1", true)]
    [InlineData("16777217", true)]
    [InlineData("-2.5e-3", true)]
    [InlineData("1e39", false)]
    [InlineData("1e400", false)]
    public void A_float32_files_number_is_its_float32_value_in_double(string text, bool finiteInFloat)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        // Read as a float32 file's number: float32's rounding of the text, held exactly in double.
        Assert.Equal(finiteInFloat, DecimalText.TryParseFinite(utf8, float32: true, out double single));
        if (finiteInFloat) Assert.Equal((double)float.Parse(text, CultureInfo.InvariantCulture), single);
        // As a float64 file's: the text's own double, finite unless beyond double.
        bool finiteInDouble = double.IsFinite(double.Parse(text, CultureInfo.InvariantCulture));
        Assert.Equal(finiteInDouble, DecimalText.TryParseFinite(utf8, float32: false, out double exact));
        if (finiteInDouble) Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), exact);
        Assert.False(DecimalText.TryParseFinite("NaN"u8, float32: false, out double _));
    }
}
