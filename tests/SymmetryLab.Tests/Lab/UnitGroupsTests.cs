using SymmetryLab.Engine.Activations;
using SymmetryLab.Lab;

namespace SymmetryLab.Tests.Lab;

public class UnitGroupsTests
{
    private static string Show(IReadOnlyList<int[]> groups) => string.Join(" ", groups.Select(g => "{" + string.Join(",", g) + "}"));

    [Fact]
    public void Ties_and_permuted_units_are_grouped_and_outgoing_weights_refine_them()
    {
        // Units 1, 3 and 4 share (0.2, -0.3 | 0.1); unit 2 differs in its bias only; unit 5 in one weight.
        var net = LabNetworks.Build(2,
            (Activation.Sigmoid, [[0.2, -0.3], [0.2, -0.3], [0.2, -0.3], [0.2, -0.3], [0.2, 0.3]], [0.1, 0.0, 0.1, 0.1, 0.1]),
            (Activation.Sigmoid, [[0.5, 0.5, 0.7, 0.5, 0.5]], [0.0]));
        var g = UnitGroups.Find(net, 0);
        Assert.Equal("{1,3,4} {2} {5}", Show(g.Groups));
        Assert.Equal(3, g.Distinct);
        Assert.Equal("{1,4} {2} {3} {5}", Show(g.Interchangeable)); // unit 3 sends 0.7, units 1 and 4 send 0.5
    }

    [Fact]
    public void Near_ties_join_a_group_only_within_the_tolerance()
    {
        var net = LabNetworks.Build(2,
            (Activation.Tanh, [[1.0, 2.0], [1.0 + 1e-9, 2.0], [1.0, 2.0 + 1e-3]], [0.0, 0.0, 0.0]),
            (Activation.Linear, [[1.0, 1.0, 1.0]], [0.0]));
        Assert.Equal("{1} {2} {3}", Show(UnitGroups.Find(net, 0).Groups));                  // exact by default
        Assert.Equal("{1,2} {3}", Show(UnitGroups.Find(net, 0, tolerance: 1e-6).Groups));   // 1e-9 below, 1e-3 above
        Assert.Equal("{1,2,3}", Show(UnitGroups.Find(net, 0, tolerance: 1e-2).Groups));
    }

    [Fact]
    public void Inspection_reports_the_closest_distinct_pair_with_its_distance_and_cosine()
    {
        // Units 1 and 2 identical; unit 3 is (3, 4 | 0), unit 4 is (0, 0 | 1).
        var net = LabNetworks.Build(2,
            (Activation.Relu, [[1.0, 0.0], [1.0, 0.0], [3.0, 4.0], [0.0, 0.0]], [0.0, 0.0, 0.0, 1.0]),
            (Activation.Linear, [[1.0, 1.0, 1.0, 1.0]], [0.0]));
        var layer = Inspection.Of(net)[0];
        // By hand: |(1,0,0)-(3,4,0)| = sqrt(20); |(1,0,0)-(0,0,1)| = sqrt(2); |(3,4,0)-(0,0,1)| = sqrt(26).
        Assert.NotNull(layer.Closest);
        Assert.Equal((1, 4), (layer.Closest!.UnitA, layer.Closest.UnitB));
        Assert.Equal(Math.Sqrt(2), layer.Closest.Distance, 15);
        Assert.Equal(0.0, layer.Closest.Cosine!.Value, 15);
    }

    [Fact]
    public void With_data_inspection_finds_dead_saturated_and_correlated_units()
    {
        var data = LabNetworks.Rows([1, 0, 0], [2, 1, 1], [3, -1, 0], [4, 2, 1]);
        var relu = LabNetworks.Build(2,
            (Activation.Relu, [[1.0, 0.0], [-1.0, 0.0], [2.0, 0.0]], [0.0, -0.5, 1.0]),
            (Activation.Sigmoid, [[1.0, 1.0, 1.0]], [0.0]));
        var r = Inspection.Of(relu, data)[0];
        Assert.Equal([2], r.Dead!);                           // -x1 - 0.5 < 0 for x1 in 1..4
        Assert.Equal(1.0, r.MostCorrelated![0].Correlation, 12); // units 1 and 3 are x1 and 2 x1 + 1
        Assert.Equal((1, 3), (r.MostCorrelated[0].UnitA, r.MostCorrelated[0].UnitB));

        var sig = LabNetworks.Build(2,
            (Activation.Sigmoid, [[10.0, 0.0], [0.1, 0.0]], [0.0, 0.0]),
            (Activation.Sigmoid, [[1.0, 1.0]], [0.0]));
        // sigmoid(10 x1) >= sigmoid(10) = 0.99995 on every row: saturated; sigmoid(0.1 x1) <= 0.6: not.
        Assert.Equal([1], Inspection.Of(sig, data)[0].Saturated!);
    }
}
