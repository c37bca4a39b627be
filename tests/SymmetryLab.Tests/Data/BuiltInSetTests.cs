using SymmetryLab.Data;

namespace SymmetryLab.Tests.Data;

/// <summary>The built-in sets against the facts their READMEs record (counts checked by whoever fetched the files).</summary>
public sealed class BuiltInSetTests
{
    private static Dataset Load(string name) => DataSource.Load(name).Train;

    [Fact]
    public void Digits01IsFiveHundredZerosThenFiveHundredOnesInUnitRange()
    {
        var d = Load("digits01");
        Assert.Equal(1000, d.Rows);
        Assert.Equal(400, d.Features);
        Assert.Equal(new ImageShape(20, 20), d.Image);
        Assert.All(d.Y.Take(500), y => Assert.Equal(0.0, y));
        Assert.All(d.Y.Skip(500), y => Assert.Equal(1.0, y));
        Assert.Equal(0.0, d.X.Min());
        Assert.Equal(1.0, d.X.Max()); // MNIST ink reaches 255
    }

    [Fact]
    public void Digits01RowsAreTheCentralCropsOfTheFirstZerosAndOnes()
    {
        // MNIST README: the test set starts 7 2 1 0 4 1 ...: the first 0 is image 4, the first 1 image 3, the second 1 image 6.
        var mnist = Load("mnist-test");
        var d = Load("digits01");
        Assert.Equal(0.0, mnist.Y[3]);
        AssertCrop(mnist, 3, d, 0);
        AssertCrop(mnist, 2, d, 500);
        AssertCrop(mnist, 5, d, 501);
        // Nothing is lost by the crop for these digits: the ink outside rows/cols 4..23 is zero.
        Assert.Equal(mnist.Row(3).ToArray().Sum(), d.Row(0).ToArray().Sum(), 9);
    }

    private static void AssertCrop(Dataset mnist, int image, Dataset digits, int row)
    {
        for (int r = 0; r < 20; r++)
            for (int c = 0; c < 20; c++)
                Assert.Equal(mnist.Row(image)[(r + 4) * 28 + c + 4], digits.Row(row)[r * 20 + c]);
    }

    [Fact]
    public void MnistTestLabelCountsAreTheReadmes()
    {
        var d = Load("mnist-test");
        Assert.Equal((10000, 784), (d.Rows, d.Features));
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], d.ClassCounts());
        Assert.Equal([7.0, 2, 1, 0, 4, 1, 4, 9, 5, 9], d.Y.Take(10));
        Assert.InRange(d.X.Min(), 0, 0);
        Assert.InRange(d.X.Max(), 1, 1);
    }

    [Fact]
    public void FashionTestHasAThousandPerClassAndTheReadmesFirstLabels()
    {
        var d = Load("fashion-test");
        Assert.Equal((10000, 784), (d.Rows, d.Features));
        Assert.All(d.ClassCounts(), c => Assert.Equal(1000, c));
        Assert.Equal([9.0, 2, 1, 1, 6, 1, 4, 6, 5, 7], d.Y.Take(10));
    }

    [Fact]
    public void OptdigitsLabelCountsAndPixelRangeAreTheReadmes()
    {
        var d = Load("optdigits");
        Assert.Equal((1797, 64), (d.Rows, d.Features));
        Assert.Equal([178, 182, 177, 183, 181, 182, 181, 179, 174, 180], d.ClassCounts());
        Assert.Equal(0.0, d.X.Min());
        Assert.Equal(16.0, d.X.Max());
        Assert.Equal(new ImageShape(8, 8), d.Image);
    }

    [Fact]
    public void IrisHasFiftyPerClassAndRealFeatureNames()
    {
        var d = Load("iris");
        Assert.Equal((150, 4), (d.Rows, d.Features));
        Assert.Equal([50, 50, 50], d.ClassCounts());
        Assert.Equal(["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"], d.FeatureNames);
        Assert.Equal([5.1, 3.5, 1.4, 0.2], d.Row(0).ToArray()); // Fisher's first setosa
    }

    [Fact]
    public void CirclesDlsHasItsFixedTestSet()
    {
        var (train, test) = DataSource.Load("circles-dls");
        Assert.Equal([150, 150], train.ClassCounts());
        Assert.NotNull(test);
        Assert.Equal([50, 50], test!.ClassCounts());
    }

    [Fact]
    public void CoffeeHasTheReadmesCounts()
    {
        Assert.Equal([157, 43], Load("coffee").ClassCounts());
    }

    [Fact]
    public void CatalogFiguresMatchTheLoadedSets()
    {
        foreach (var e in Catalog.Entries)
        {
            var (train, test) = DataSource.Load(e.Name);
            Assert.Equal((e.Name, e.Rows, e.Features, e.Classes, e.TestRows), (e.Name, train.Rows, train.Features, train.ClassCount, test?.Rows ?? 0));
        }
    }
}
