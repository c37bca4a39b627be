using SymmetryLab.Data;
using SymmetryLab.Data.Generators;

namespace SymmetryLab.Tests.Data;

/// <summary>Generators: same spec, same numbers; the stated class balance; the stated geometry (checked with noise off).</summary>
public sealed class GeneratorTests
{
    private static Dataset Load(string spec) => DataSource.Load(spec).Train;

    [Theory]
    [InlineData("xor")]
    [InlineData("circles")]
    [InlineData("moons")]
    [InlineData("spirals:classes=3")]
    [InlineData("blobs:k=4,features=3")]
    [InlineData("plane:features=3")]
    public void SameSeedSameNumbersOtherSeedOtherNumbers(string spec)
    {
        var a = Load(spec);
        var b = Load(spec);
        var c = Load(spec + (spec.Contains(':') ? "," : ":") + "seed=2");
        Assert.Equal(a.X, b.X);
        Assert.Equal(a.Y, b.Y);
        Assert.NotEqual(a.X, c.X);
        Assert.Equal(a.Rows, c.Rows);
    }

    [Fact]
    public void SeedDefaultsToOne()
    {
        Assert.Equal(Load("moons").X, Load("moons:seed=1").X);
    }

    [Fact]
    public void XorWithoutNoiseIsTheTruthTable()
    {
        var d = Load("xor:n=4,noise=0");
        Assert.Equal([0.0, 0, 0, 1, 1, 0, 1, 1], d.X);
        Assert.Equal([0.0, 1, 1, 0], d.Y);
    }

    [Theory]
    [InlineData(200, 100, 100)]
    [InlineData(7, 3, 4)] // corners 0,1,2,3,0,1,2: labels 0,1,1,0,0,1,1
    public void XorBalance(int n, int zeros, int ones)
    {
        Assert.Equal([zeros, ones], Load($"xor:n={n}").ClassCounts());
    }

    [Fact]
    public void CirclesHaveRadiusOneAndFactorHalfAndHalf()
    {
        var d = Load("circles:n=301,noise=0,factor=0.5");
        Assert.Equal([150, 151], d.ClassCounts()); // n/2 rounded down on the outer circle, as make_circles
        for (int r = 0; r < d.Rows; r++)
        {
            double radius = Math.Sqrt(d.X[2 * r] * d.X[2 * r] + d.X[2 * r + 1] * d.X[2 * r + 1]);
            Assert.Equal(d.Y[r] == 0 ? 1.0 : 0.5, radius, 12);
        }
    }

    [Fact]
    public void CirclesNoiseHasTheStatedSpread()
    {
        var clean = Load("circles:n=2000,noise=0");
        var noisy = Load("circles:n=2000,noise=0.05");
        var diffs = clean.X.Zip(noisy.X, (a, b) => b - a).ToArray();
        double sd = Math.Sqrt(diffs.Select(v => v * v).Average());
        Assert.InRange(sd, 0.045, 0.055);
    }

    [Fact]
    public void MoonsWithoutNoiseLieOnTheirHalfCircles()
    {
        var d = Load("moons:n=100,noise=0");
        Assert.Equal([50, 50], d.ClassCounts());
        for (int r = 0; r < d.Rows; r++)
        {
            double x = d.X[2 * r], y = d.X[2 * r + 1];
            // Class 0 on the upper unit half circle about (0,0); class 1 on the lower one about (1, 0.5).
            double cx = d.Y[r] == 0 ? 0 : 1, cy = d.Y[r] == 0 ? 0 : 0.5;
            Assert.Equal(1.0, Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)), 12);
            Assert.True(d.Y[r] == 0 ? y >= -1e-12 : y <= 0.5 + 1e-12);
        }
    }

    [Fact]
    public void SpiralsBalanceAndStayInTheUnitDisc()
    {
        var d = Load("spirals:n=301,classes=3");
        Assert.Equal([101, 100, 100], d.ClassCounts());
        for (int r = 0; r < d.Rows; r++)
            Assert.True(Math.Sqrt(d.X[2 * r] * d.X[2 * r] + d.X[2 * r + 1] * d.X[2 * r + 1]) <= 1 + 1e-12);
    }

    [Fact]
    public void BlobsAreBalancedAndTight()
    {
        var d = Load("blobs:n=300,k=3,std=0.5");
        Assert.Equal([100, 100, 100], d.ClassCounts());
        // Each cluster's spread around its own mean is the stated sd.
        for (int c = 0; c < 3; c++)
        {
            var rows = Enumerable.Range(0, d.Rows).Where(r => d.Y[r] == c).ToArray();
            double mx = rows.Average(r => d.X[2 * r]), my = rows.Average(r => d.X[2 * r + 1]);
            double sd = Math.Sqrt(rows.Average(r => Math.Pow(d.X[2 * r] - mx, 2) + Math.Pow(d.X[2 * r + 1] - my, 2)) / 2);
            Assert.InRange(sd, 0.4, 0.6);
        }
    }

    [Fact]
    public void PlaneWithoutNoiseIsExactlyThePlane()
    {
        var d = Load("plane:n=50,features=3,noise=0");
        Assert.Equal(TargetKind.Continuous, d.Kind);
        for (int r = 0; r < d.Rows; r++)
        {
            var x = d.Row(r);
            Assert.Equal(1 + x[0] - 2 * x[1] + 3 * x[2], d.Y[r], 12);
            Assert.All(x.ToArray(), v => Assert.InRange(v, -1, 1));
        }
    }

    [Theory]
    [InlineData("circles:noise=abc", "noise=abc")]
    [InlineData("circles:factor=1.5", "factor")]
    [InlineData("circles:radius=2", "no parameter 'radius'")]
    [InlineData("xor:n=2.5", "integer")]
    [InlineData("moons:seed=-1", "seed=-1")]
    [InlineData("blobs:k", "NAME=VALUE")]
    public void BadParametersAreDataErrorsNamingTheParameter(string spec, string expected)
    {
        var e = Assert.Throws<DataException>(() => Load(spec));
        Assert.Contains(expected, e.Message);
        Assert.Contains(spec, e.Message);
    }

    [Fact]
    public void UnknownNameListsGenerators()
    {
        var e = Assert.Throws<DataException>(() => Load("swirls:n=3"));
        Assert.Contains("spirals", e.Message);
    }

    [Fact]
    public void EveryGeneratorHasTheDefaultsItAdvertises()
    {
        foreach (var g in GeneratorCatalog.All)
        {
            var d = Load(g.Name);
            Assert.Equal(g.DefaultRows, d.Rows);
            Assert.Equal(g.DefaultFeatures, d.Features);
            Assert.Equal(g.DefaultClasses, d.Kind == TargetKind.Continuous ? 0 : d.ClassCount);
            Assert.Equal(d.X, Load(g.Usage).X);
        }
    }
}
