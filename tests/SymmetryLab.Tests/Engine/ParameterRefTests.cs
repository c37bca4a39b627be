using SymmetryLab.Engine;

namespace SymmetryLab.Tests.Engine;

public class ParameterRefTests
{
    [Theory]
    [InlineData("W1[99999999999,1]")]
    [InlineData("W99999999999[1,1]")]
    [InlineData("W1[1,99999999999]")]
    [InlineData("b1:99999999999")]
    [InlineData("W1:2147483648:1")]
    [InlineData("W\u0661[1,1]")] // a digit of another script matches \d, but is no index
    public void A_number_that_is_no_index_is_not_a_parameter(string text) =>
        Assert.False(ParameterRef.TryParse(text, out _));

    [Fact]
    public void The_largest_index_still_parses() =>
        Assert.Equal(new ParameterRef(1, int.MaxValue, 1), ParameterRef.TryParse("W1[2147483647,1]", out var p) ? p : default);
}
