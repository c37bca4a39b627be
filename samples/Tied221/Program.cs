// Lesson 001 through the API: a 2-2-1 coffee net whose two hidden units start with equal incoming
// weights (w1 = w3, w2 = w4). With equal outgoing weights too (w5 = w6) the units get identical
// gradients at every step and never differ; make only w6 different and they split.
// (`symlab experiment run tied-2-2-1` is the full experiment, with its chain-rule tables and figures.)
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Lab;

var (coffee, _) = DataSource.Load("coffee");
var options = new TrainingOptions { Loss = Loss.Bce, Optimizer = new Adam(0.01), BatchSize = 32, Epochs = 300, Seed = 1 };
bool asTheLessonSays = true;

foreach (var (label, w6) in new[] { ("tied, w5 = w6 = 0.5", 0.5), ("untied, w5 = 0.5, w6 = 0.6", 0.6) })
{
    var net = Start(w6);
    var w1 = new ParameterRef(1, 1, 1);
    var w3 = new ParameterRef(1, 2, 1);
    var dw1 = ChainRule.Explain(net, coffee, Loss.Bce, w1);
    var dw3 = ChainRule.Explain(net, coffee, Loss.Bce, w3);
    net.Fit(coffee, options);
    var report = SymmetryReport.Of(net, coffee);
    int distinct = report.Layers[0].Distinct;
    Console.WriteLine($"{label}: at the start dJ/dw1 = {dw1.Gradient:G6}, dJ/dw3 = {dw3.Gradient:G6}");
    Console.WriteLine($"  after {options.Epochs} epochs: W1 = [{string.Join(", ", net.Layers[0].Weights.Select(w => w.ToString("G4")))}], {distinct} distinct hidden unit{(distinct == 1 ? "" : "s")}");
    Console.WriteLine("  " + report.ToString().Replace("\n", "\n  "));
    bool tied = w6 == 0.5;
    asTheLessonSays &= tied ? dw1.Gradient == dw3.Gradient && distinct == 1 : dw1.Gradient != dw3.Gradient && distinct == 2;
}

Console.WriteLine(asTheLessonSays ? "As the lesson says: the units differ exactly when their outgoing weights do." : "NOT as the lesson says: see above.");
return asTheLessonSays ? 0 : 1;

// The lesson's start: w1 = w3 = 0.2, w2 = w4 = -0.3, biases 0, w5 = 0.5 and w6 as given; inputs z-scored.
Network<double> Start(double w6)
{
    var net = Network.Empty<double>(2, [Layer.Dense(2, Activation.Sigmoid), Layer.Dense(1, Activation.Sigmoid)]);
    net.Normalization = Normalization.Fit(coffee);
    double[] hidden = [0.2, -0.3, 0.2, -0.3];
    hidden.CopyTo(net.Layers[0].Weights, 0);
    net.Layers[1].Weights[0] = 0.5;
    net.Layers[1].Weights[1] = w6;
    return net;
}
