// The same 2-3-1 coffee net trained from five seeds: the runs look different weight by weight, but
// hidden units can be listed in any order (and a sigmoid unit negated, its outgoing weights negated and the
// next biases shifted to match) without changing the function.
// Aligning each run to the first by a permutation of its units shows how much of the difference is
// only the order.
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Lab;

var (coffee, _) = DataSource.Load("coffee");
ulong[] seeds = [1, 2, 3, 4, 5];
var runs = seeds.Select(seed =>
{
    var net = Network.Create<double>(2, [Layer.Dense(3, Activation.Sigmoid), Layer.Dense(1, Activation.Sigmoid)], Init.GlorotUniform, seed);
    net.Normalization = Normalization.Fit(coffee);
    net.Fit(coffee, new TrainingOptions { Optimizer = new Adam(0.05), Epochs = 300, Seed = seed });
    return net;
}).ToList();

var reference = runs[0];
double[] inputs = [.. coffee.X];
bool sameFunction = true;
Console.WriteLine($"seed  accuracy  distance to seed {seeds[0]}  after aligning its units  hidden order (flips)");
for (int k = 0; k < runs.Count; k++)
{
    var alignment = UnitAlignment.Align(reference, runs[k]);
    var layer = alignment.Layers[0];
    string order = string.Join(" ", layer.Permutation.Select((u, j) => $"{(layer.Sign[j] < 0 ? "-" : "")}{u + 1}"));
    // Aligning reorders (and flips) units only: the aligned network computes what the run does.
    double gap = runs[k].Predict(inputs).Zip(alignment.AlignedB.Predict(inputs), (a, b) => Math.Abs(a - b)).Max();
    sameFunction &= gap < 1e-9;
    Console.WriteLine($"{seeds[k],4}  {SymmetryReport.Of(runs[k], coffee).Accuracy,8:F4}  {alignment.DistanceBefore,22:F4}  {alignment.DistanceAfter,24:F4}  {order}");
}
Console.WriteLine(sameFunction ? "Every aligned run computes the same outputs as before aligning (to 1e-9)." : "An aligned run computes different outputs: alignment is broken.");
return sameFunction ? 0 : 1;
