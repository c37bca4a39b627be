using System.CommandLine;
using SymmetryLab.Runs;
using SymmetryLab.Serialization;

namespace SymmetryLab.Cli.Commands;

/// <summary>
/// The flags that describe one training setup (SPEC.md <c>symlab train</c>), shared by <c>train</c> and
/// <c>sweep</c> so that a sweep accepts exactly what train does. <c>--seed</c>, <c>--threads</c>,
/// <c>--out</c> and <c>--json</c> are not here: they mean different things to the two commands.
/// </summary>
internal sealed class RunOptions
{
    public Option<string> Data { get; } = new("--data") { Description = "Built-in data set name or a CSV file", DefaultValueFactory = _ => "coffee" };
    public Option<string?> Target { get; } = new("--target") { Description = "Target column: header name or 1-based index (default: the last)" };
    public Option<string?> Layers { get; } = new("--layers") { Description = "Hidden and output widths, output last, e.g. 3,1 (default 25,15,K: K = 1 for a 0/1 or numeric target, the number of classes for labels 0..K-1; the last width must fit the target)" };
    public Option<string> Activation { get; } = new("--activation") { Description = "Hidden activation: linear, sigmoid, tanh, relu, leaky_relu", DefaultValueFactory = _ => "sigmoid" };
    public Option<string?> OutputActivation { get; } = new("--output-activation") { Description = "Output activation (default from the loss: bce sigmoid, ce softmax, mse linear)" };
    public Option<string?> Loss { get; } = new("--loss") { Description = "bce, ce or mse (default from the target)" };
    public Option<string> Init { get; } = new("--init") { Description = $"Weight scheme: {string.Join(", ", Engine.Init.Names)}", DefaultValueFactory = _ => Engine.Init.Default.WeightName };
    public Option<string> BiasInit { get; } = new("--bias-init") { Description = "Bias scheme (same names)", DefaultValueFactory = _ => Engine.Init.Default.Biases.Name };
    public Option<string?> Model { get; } = new("--model") { Description = "Start from the exact weights of this model file" };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "gd, sgd, momentum or adam", DefaultValueFactory = _ => "adam" };
    public Option<double?> Lr { get; } = new("--lr") { Description = "Learning rate (default 0.001 for adam, 0.01 otherwise)" };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Passes over the data", DefaultValueFactory = _ => 20 };
    public Option<string?> Batch { get; } = new("--batch") { Description = "Minibatch size or 'full' (default 32; full for gd)" };
    public Option<double> L2 { get; } = new("--l2") { Description = "L2 penalty X/(2m) sum W^2" };
    public Option<double> Dropout { get; } = new("--dropout") { Description = "Inverted dropout probability on hidden units" };
    public Option<string> Normalize { get; } = new("--normalize") { Description = "none or zscore (learned on the training split, stored in the model)", DefaultValueFactory = _ => "none" };
    public Option<string?> Precision { get; } = new("--precision") { Description = "float32 or float64 (default float32, or the --model file's own precision)" };
    public Option<string?> Test { get; } = new("--test") { Description = "Held-out test file, or a fraction of the data (split by --split-seed)" };
    public Option<ulong> SplitSeed { get; } = new("--split-seed") { Description = "Seed of the --test FRACTION split (not --seed: runs from any seed train on the same rows)", DefaultValueFactory = _ => RunSettings.DefaultSplitSeed };

    /// <summary>The options in the order train has always listed them, the model-related ones before --seed.</summary>
    public IEnumerable<Option> BeforeSeed => [Data, Target, Layers, Activation, OutputActivation, Loss, Init, BiasInit, Model];

    public IEnumerable<Option> AfterSeed => [Optimizer, Lr, Epochs, Batch, L2, Dropout, Normalize, Precision];

    /// <summary>The settings these flags describe (seed 1, all threads, no folder: the caller sets those).</summary>
    public RunSettings Settings(ParseResult p)
    {
        // The model file is read once, here: it may be a pipe (<(cat model.json)) that cannot be read twice.
        string? modelText = p.GetValue(Model) is { } path ? ModelFile.ReadText(path) : null;
        return Settings(p, modelText);
    }

    private RunSettings Settings(ParseResult p, string? modelText) => new()
    {
        Data = p.GetValue(Data)!,
        Target = p.GetValue(Target),
        Layers = p.GetValue(Layers) is { } w ? Parse.Widths(w) : null,
        Activation = Parse.Activation(p.GetValue(Activation)!, "--activation"),
        OutputActivation = p.GetValue(OutputActivation) is { } oa ? Parse.Activation(oa, "--output-activation") : null,
        Loss = p.GetValue(Loss) is { } ls ? Parse.Loss(ls) : null,
        Init = InitScheme(p.GetValue(Init)!, p.GetValue(BiasInit)!, modelText is not null),
        Model = p.GetValue(Model),
        ModelText = modelText,
        Optimizer = FlagSyntax.Optimizer(p.GetValue(Optimizer)!),
        LearningRate = p.GetValue(Lr),
        Epochs = p.GetValue(Epochs),
        Batch = p.GetValue(Batch) is { } b ? Parse.Batch(b) : null,
        L2 = p.GetValue(L2),
        Dropout = p.GetValue(Dropout),
        Normalize = FlagSyntax.Normalize(p.GetValue(Normalize)!),
        // Starting from a model file keeps its exact numbers: its own precision unless told otherwise.
        Precision = FlagSyntax.Precision(p.GetValue(Precision) ?? (modelText is not null ? ModelFile.PrecisionOf(modelText) : "float32")),
        Test = p.GetValue(Test),
        SplitSeed = p.GetValue(SplitSeed),
    };

    /// <summary>
    /// --init and --bias-init. A run from a model file does not use them and has never refused them: a
    /// scheme that does not parse is then left at the default rather than refused.
    /// </summary>
    private static Engine.Initializers.InitScheme InitScheme(string weights, string biases, bool fromModel) =>
        fromModel && !Engine.Initializers.InitScheme.TryParse(weights, biases, out _, out _) ? Engine.Init.Default : FlagSyntax.Init(weights, biases);
}
