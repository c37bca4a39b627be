using SymmetryLab.Data;

namespace SymmetryLab.Tests.Data;

public class DerivedFeaturesTests
{
    [Fact]
    public void Selected_features_come_in_a_fixed_order_from_each_row()
    {
        var data = new Dataset("two", [0.5, -2, 3, 0.25], [0, 1], 2);
        var derived = DerivedFeatures.Apply(data, ["sin(x2)", "x1*x2", "x1^2", "x2"]);
        Assert.Equal(["x2", "x1^2", "x1*x2", "sin(x2)"], derived.FeatureNames);
        Assert.Equal(new[] { -2, 0.25, -1, Math.Sin(-2), 0.25, 9, 0.75, Math.Sin(0.25) }, derived.X);
        Assert.Equal(data.Y, derived.Y);
    }

    [Fact]
    public void Bad_selections_and_sets_that_are_not_two_dimensional_are_refused()
    {
        var data = new Dataset("two", [0.5, -2], [0], 2);
        Assert.Contains("'x3'", Assert.Throws<ArgumentException>(() => DerivedFeatures.Apply(data, ["x3"])).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => DerivedFeatures.Apply(data, ["x1", "x1"])).Message);
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() => DerivedFeatures.Apply(data, [])).Message);
        Assert.Contains("exactly two", Assert.Throws<DataException>(() => DerivedFeatures.Apply(new Dataset("three", [1, 2, 3], [0], 3), ["x1"])).Message);
    }
}
