using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Lab;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Lab;

/// <summary>
/// The audit finds exactly the units planted in a network, the merged network is smaller by exactly
/// those, and it computes the same outputs (checked on data and on random inputs).
/// </summary>
public class UnitAuditTests
{
    /// <summary>
    /// 5 inputs, a hidden layer of 40 tanh units with, planted: units 2=7, 3=11, 4=30 (3 duplicate pairs),
    /// 5=9=13 (a group of 3), 6=-8 and 12=-20 (2 mirror pairs), 14, 15, 16, 17 dead (all incoming weights 0);
    /// then 6 relu units and 2 linear outputs.
    /// </summary>
    internal static Network<double> Planted(Activation hidden = Activation.Tanh, ulong seed = 21)
    {
        var net = TestNets.Random<double>(5, [(40, hidden), (6, Activation.Relu), (2, Activation.Linear)], seed, scale: 0.7);
        var l1 = net.Layers[0];
        void Copy(int from, int to, double sign)
        {
            for (int i = 0; i < 5; i++) l1.Weights[(to - 1) * 5 + i] = sign * l1.Weights[(from - 1) * 5 + i];
            l1.Biases[to - 1] = sign * l1.Biases[from - 1];
        }
        Copy(2, 7, 1); Copy(3, 11, 1); Copy(4, 30, 1); Copy(5, 9, 1); Copy(5, 13, 1);
        Copy(6, 8, -1); Copy(12, 20, -1);
        foreach (int dead in new[] { 14, 15, 16, 17 })
            for (int i = 0; i < 5; i++) l1.Weights[(dead - 1) * 5 + i] = 0;
        return net;
    }

    private static Dataset Rows(int rows = 500, ulong seed = 4) => TestNets.Data(rows, 5, 0, seed);

    [Fact]
    public void FindsExactlyThePlantedUnitsAndSaysSoInOneTrueSentence()
    {
        var result = UnitAudit.Run(Planted(), "float64", Rows());
        var l1 = result.Layers[0];
        Assert.Equal([[2, 7], [3, 11], [4, 30], [5, 9, 13]], l1.Identical.Select(g => g.ToList()).ToList());
        Assert.Equal([[6, 8], [12, 20]], l1.Mirrors.Select(g => g.ToList()).ToList());
        Assert.Equal([14, 15, 16, 17], l1.Dead);
        // 40 - 4 dead - 3 pairs - 2 (group of 3) - 2 mirrors
        Assert.Equal(29, l1.Effective);
        Assert.Equal("layer 1: 40 units, 29 effective (4 dead, 3 duplicate pairs, 1 group of 3 identical units, 2 mirror pairs)", l1.Summary);
        Assert.Equal([29, 6, 2], result.MergedUnits);
        Assert.Equal("layer 3: 2 units, the outputs (kept as they are)", result.Layers[2].Summary);
    }

    [Fact]
    public void MergedNetworkComputesTheSameOutputsOnTheDataAndOnRandomInputs()
    {
        var net = Planted();
        var result = UnitAudit.Run(net, "float64", Rows());
        Assert.True(result.MaxOutputDifference <= 1e-13, $"{result.MaxOutputDifference:G3}");
        // Independently of the audit's own measure: other rows, far from the data.
        var far = TestNets.Data(300, 5, 0, seed: 99);
        for (int i = 0; i < far.X.Length; i++) far.X[i] *= 10;
        double difference = UnitAudit.MaxDifference(net, result.Merged, far);
        Assert.True(difference <= 1e-12, $"{difference:G3}");
        // A test that could fail: leaving out the mirror's sign flip changes the outputs.
        var wrong = UnitMerge.Apply(net, 0, [UnitMerge.Removal.Merged(7, 5, +1)]);
        Assert.True(UnitAudit.MaxDifference(net, wrong, far) > 1e-3);
    }

    [Fact]
    public void MirrorsOnlyForOddActivations()
    {
        // sigmoid(-z) = 1 - sigmoid(z) and relu(-z) != -relu(z): the negated pairs are not mirrors there.
        foreach (var g in new[] { Activation.Sigmoid, Activation.Relu, Activation.LeakyRelu })
        {
            var result = UnitAudit.Run(Planted(g), "float64", Rows());
            Assert.Empty(result.Layers[0].Mirrors);
            Assert.Equal([[2, 7], [3, 11], [4, 30], [5, 9, 13]], result.Layers[0].Identical.Select(x => x.ToList()).ToList());
        }
        var linear = UnitAudit.Run(Planted(Activation.Linear), "float64", Rows());
        Assert.Equal([[6, 8], [12, 20]], linear.Layers[0].Mirrors.Select(g => g.ToList()).ToList());
        Assert.True(linear.MaxOutputDifference <= 1e-12);
    }

    [Fact]
    public void DeadOnTheDataIsNotDeadFromTheWeightsAlone()
    {
        // Relu unit 3 of layer 2 has a bias of -5: with tanh inputs in [-1, 1] and small weights it can never fire
        // (certain from the weights); unit 5 only never fires on this data (large weights could make it fire).
        var net = Planted();
        var l2 = net.Layers[1];
        for (int i = 0; i < 40; i++) l2.Weights[2 * 40 + i] = 0.1 * Math.Sign(l2.Weights[2 * 40 + i]);
        l2.Biases[2] = -5;
        for (int i = 0; i < 40; i++) l2.Weights[4 * 40 + i] = 2; // merged, its columns sum to 64: z could reach -35 + 64 > 0
        l2.Biases[4] = -35;
        var withData = UnitAudit.Run(net, "float64", Rows());
        Assert.Equal([3, 5], withData.Layers[1].Dead);
        var weightsOnly = UnitAudit.Run(net, "float64");
        Assert.Equal([3], weightsOnly.Layers[1].Dead);
        Assert.Equal([14, 15, 16, 17], weightsOnly.Layers[0].Dead); // zero incoming weights: constant tanh(b) for any input
        Assert.Null(weightsOnly.Layers[0].Saturated);
        Assert.Contains("random inputs", weightsOnly.CheckedOn);
        Assert.True(weightsOnly.MaxOutputDifference <= 1e-12, $"{weightsOnly.MaxOutputDifference:G3}");
        Assert.Equal([29, 5, 2], weightsOnly.MergedUnits);
        // Unit 5 is dead on these rows only, so the merged network is the same function on these rows only...
        Assert.True(withData.DeadOnDataOnly);
        Assert.False(withData.SameForAnyInput);
        // ...and once its weights are 0 as well, every unit found dead on the rows is dead for any input.
        for (int i = 0; i < 40; i++) l2.Weights[4 * 40 + i] = 0;
        var certain = UnitAudit.Run(net, "float64", Rows());
        Assert.Equal([3, 5], certain.Layers[1].Dead);
        Assert.False(certain.DeadOnDataOnly);
        Assert.True(certain.SameForAnyInput);
    }

    [Fact]
    public void ASoftmaxOutputWithZeroWeightsIsNotDeadWithoutData()
    {
        // Softmax output 1 has zero incoming weights: its z is constant but its output, exp(z1) / sum exp(z),
        // moves with the other units' z. Only when every unit has the same weights are the outputs constant.
        var net = TestNets.Random<double>(2, [(3, Activation.Tanh), (3, Activation.Softmax)], seed: 3);
        var output = net.Layers[1];
        for (int i = 0; i < 3; i++) output.Weights[i] = 0;
        var rows = TestNets.Data(50, 2, 0, seed: 6);
        var outputs = net.Clone().Forward(rows.X, rows.Rows, SymmetryLab.Numerics.WorkerPool.ForThreads(1)).ToArray();
        Assert.Contains(Enumerable.Range(1, rows.Rows - 1), r => outputs[r * 3] != outputs[0]); // it does change
        Assert.Empty(UnitAudit.Run(net, "float64").Layers[1].Dead);
        Assert.Empty(UnitAudit.Run(net, "float64", rows).Layers[1].Dead);

        for (int j = 1; j < 3; j++)
            for (int i = 0; i < 3; i++) output.Weights[j * 3 + i] = 0.25 * i; // every row the same: z's differ by the biases only
        for (int i = 0; i < 3; i++) output.Weights[i] = 0.25 * i;
        Assert.Equal([1, 2, 3], UnitAudit.Run(net, "float64").Layers[1].Dead);
    }

    [Fact]
    public void DeadUnitsConstantIsFoldedIntoTheNextBiases()
    {
        // Zero incoming weights: tanh(b) != 0 reaches the next layer; dropping the unit without folding changes the outputs.
        var net = Planted();
        var result = UnitAudit.Run(net, "float64", Rows());
        var dropped = UnitMerge.Apply(net, 0, [UnitMerge.Removal.Dead(13, 0)]); // pretend the constant were 0
        Assert.True(net.Layers[0].Biases[13] != 0);
        Assert.True(UnitAudit.MaxDifference(net, dropped, Rows()) > 1e-6);
        Assert.True(result.MaxOutputDifference <= 1e-13);
    }

    [Fact]
    public void NearDuplicatesNeedTheTolerance()
    {
        var net = Planted();
        var l1 = net.Layers[0];
        for (int i = 0; i < 5; i++) l1.Weights[6 * 5 + i] *= 1 + 1e-9; // unit 7 drifts from unit 2 by 1e-9 relative
        Assert.DoesNotContain(UnitAudit.Run(net, "float64", Rows()).Layers[0].Identical, g => g.Contains(7));
        var tolerant = UnitAudit.Run(net, "float64", Rows(), tolerance: 1e-6);
        Assert.Contains(tolerant.Layers[0].Identical, g => g.SequenceEqual([2, 7]));
        Assert.True(tolerant.MaxOutputDifference is > 0 and < 1e-6, $"{tolerant.MaxOutputDifference:G3}");
    }

    [Theory]
    [InlineData(1e200)]
    [InlineData(1e-200)]
    public void TheToleranceHoldsForHugeAndTinyWeights(double size)
    {
        // Units 1 and 2 weigh different inputs: |v1 - v2| = sqrt(2) |v1|, far from equal at any scale. Their squares
        // overflow to infinity (or underflow to 0), which must not make them "equal within 10%".
        var net = TestNets.Random<double>(2, [(3, Activation.Tanh), (1, Activation.Linear)], seed: 4);
        var l1 = net.Layers[0];
        l1.Weights[0] = size; l1.Weights[1] = 0; l1.Biases[0] = 0;
        l1.Weights[2] = 0; l1.Weights[3] = size; l1.Biases[1] = 0;
        var result = UnitAudit.Run(net, "float64", tolerance: 0.1);
        Assert.Empty(result.Layers[0].Identical);
        Assert.Empty(result.Layers[0].Mirrors);
        // The same units 5% apart are within 10%.
        l1.Weights[2] = size; l1.Weights[3] = 0.05 * size;
        Assert.Equal([[1, 2]], UnitAudit.Run(net, "float64", tolerance: 0.1).Layers[0].Identical.Select(g => g.ToList()).ToList());
    }

    [Fact]
    public void UnitsThatDifferOnlyInWeightsFromMergedUnitsAreIdentical()
    {
        // Layer 2's units 1 and 2 weigh layer 1's duplicates 2 and 7 as (1, 2) and (2, 1), and agree elsewhere:
        // since a2 = a7 they compute the same function; the audit of layer 2 comes after layer 1 is merged.
        var net = Planted();
        var l2 = net.Layers[1];
        for (int i = 0; i < 40; i++) l2.Weights[40 + i] = l2.Weights[i];
        l2.Biases[1] = l2.Biases[0];
        l2.Weights[1] = 1; l2.Weights[6] = 2;
        l2.Weights[40 + 1] = 2; l2.Weights[40 + 6] = 1;
        var result = UnitAudit.Run(net, "float64", Rows());
        Assert.Contains(result.Layers[1].Identical, g => g.SequenceEqual([1, 2]));
        Assert.True(result.MaxOutputDifference <= 1e-12);
    }

    [Fact]
    public void Float32ModelsAreMeasuredInFloat32()
    {
        var net = Planted().Convert<float>().Convert<double>(); // float32 values
        var result = UnitAudit.Run(net, "float32", Rows());
        Assert.Equal(29, result.Layers[0].Effective);
        Assert.True(result.MaxOutputDifference <= 1e-5, $"{result.MaxOutputDifference:G3}");
    }

    [Fact]
    public void ANetworkWithNothingToMergeIsUnchanged()
    {
        var net = TestNets.Random<double>(3, [(5, Activation.Tanh), (1, Activation.Sigmoid)], seed: 5);
        var result = UnitAudit.Run(net, "float64", TestNets.Data(50, 3, 2));
        Assert.Equal("layer 1: 5 units, 5 effective", result.Layers[0].Summary);
        Assert.Equal(0, result.MaxOutputDifference);
        Assert.Equal(ModelFile.Write(net), ModelFile.Write(result.Merged));
    }

    [Fact]
    public void ALayerOfDeadUnitsHasNoEffectiveUnitAndKeepsOneInTheMergedNetwork()
    {
        var net = TestNets.Random<double>(3, [(4, Activation.Relu), (3, Activation.Tanh), (1, Activation.Sigmoid)], seed: 8);
        for (int j = 0; j < 4; j++) net.Layers[0].Biases[j] = -100;
        var result = UnitAudit.Run(net, "float64", TestNets.Data(200, 3, 2));
        Assert.Equal([1, 2, 3, 4], result.Layers[0].Dead);
        Assert.Equal(0, result.Layers[0].Effective);
        Assert.Equal("layer 1: 4 units, 0 effective (4 dead)", result.Layers[0].Summary);
        // Layer 2 then reads only a constant: its units have no input left that changes, so they are dead too.
        Assert.Equal([1, 2, 3], result.Layers[1].Dead);
        Assert.Equal([1, 1, 1], result.MergedUnits);
        Assert.True(result.MaxOutputDifference <= 1e-15, $"{result.MaxOutputDifference:G3}");
    }
}
