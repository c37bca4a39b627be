using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;

namespace SymmetryLab.Tests.Engine;

/// <summary>Predict refuses an input that is NaN or infinite, naming its row and column, instead of answering NaN.</summary>
public class PredictInputTests
{
    private static readonly Network<double> Net = Network.Create<double>(3, [Layer.Dense(2, Activation.Tanh), Layer.Dense(1, Activation.Sigmoid)], Init.GlorotUniform, seed: 5);

    [Theory]
    [InlineData(double.NaN, 0)]
    [InlineData(double.PositiveInfinity, 4)]
    [InlineData(double.NegativeInfinity, 3200)] // in the second chunk of 1,024 rows
    public void ANonFiniteInputIsRefusedNamingItsRowAndColumn(double bad, int index)
    {
        var rows = Enumerable.Range(0, 3 * 1100).Select(i => 0.001 * i).ToArray();
        rows[index] = bad;
        var e = Assert.Throws<DataException>(() => Net.Predict(rows));
        Assert.Equal((index / 3 + 1, index % 3 + 1), ((int)e.Line!, e.Field!.Value));
        Assert.StartsWith($"row {index / 3 + 1}, column {index % 3 + 1}: ", e.Message);

        var grid = new double[1100, 3];
        Buffer.BlockCopy(rows, 0, grid, 0, rows.Length * sizeof(double));
        Assert.Equal(e.Message, Assert.Throws<DataException>(() => Net.Predict(grid)).Message);
    }

    [Fact]
    public void FiniteInputsOfAnySizeArePredicted()
    {
        var p = Net.Predict([1e300, -1e300, double.Epsilon]);
        Assert.Single(p);
        Assert.True(double.IsFinite(p[0]));
    }
}
