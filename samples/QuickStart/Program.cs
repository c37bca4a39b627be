// The coffee-roasting network of the lessons: train it, ask it about two roasts, see its units.
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Lab;

var (data, _) = DataSource.Load("coffee"); // temperature (C), duration (min) -> good roast (1) or not (0)
var net = Network.Create<float>(inputs: 2, [Layer.Dense(3, Activation.Sigmoid), Layer.Dense(1, Activation.Sigmoid)], init: Init.GlorotUniform, seed: 1234);
net.Normalization = Normalization.Fit(data); // z-score the inputs (Predict applies it too)

var history = net.Fit(data, new TrainingOptions { Optimizer = new Adam(0.01), Epochs = 200, Seed = 1234 });
Console.WriteLine($"{history.Count} epochs, {history.Steps} steps: mean loss {history[0].Loss:F4} -> {history[^1].Loss:F4}");

float[] p = net.Predict(new double[,] { { 200, 13.9 }, { 200, 17 } });
Console.WriteLine($"P(good roast) at 200 C: {p[0]:F3} for 13.9 minutes, {p[1]:F3} for 17 minutes");
Console.WriteLine(SymmetryReport.Of(net, data));
