using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Lab;
using SymmetryLab.Runs;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Runs;

/// <summary>
/// Each kind of <see cref="SettingsException"/> a public entry point throws: through <see cref="Sweep.Run"/>
/// (or <see cref="Sweep.Merge"/>) the message names the library's parameter and no flag, and
/// <c>symlab</c> says the same sentence with its flags, byte for byte as before the library learned its
/// own words (the flag texts below are the messages <c>symlab</c> printed then; the command-line cases run it).
/// </summary>
public class SettingsMessageTests
{
    /// <summary>A refusal: what is set, the library's message and parameter, <c>symlab</c>'s message, and a command that prints it (null: none reaches it).</summary>
    public sealed record Case(Func<Exception> Refuse, string? Parameter, string Library, string Flags, string[]? Command = null);

    private static readonly RunSettings Xor = new() { Data = "xor", Epochs = 1 };

    private static SettingsException Run(RunSettings settings, SweepOptions? options = null) =>
        Assert.Throws<SettingsException>(() => Sweep.Run(settings, options ?? new SweepOptions { Seeds = [1] }));

    /// <summary>A file of <paramref name="text"/>.</summary>
    private static string File(string name, string text)
    {
        string path = Path.Combine(TestNets.TempDir(), name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The name a message gives the data <paramref name="spec"/>.</summary>
    private static string Name(string spec) => SymmetryLab.Data.DataSource.Load(spec, null).Train.Name;

    /// <summary>A model file of one sigmoid unit over two inputs.</summary>
    private static readonly Lazy<string> OneUnit = new(() =>
        File("one.json", """{"format":"symlab-model","version":1,"precision":"float32","inputs":2,"layers":[{"activation":"sigmoid","weights":[[1,2]],"biases":[0]}]}"""));

    /// <summary>A model file of one sigmoid unit over three inputs.</summary>
    private static readonly Lazy<string> ThreeInputs = new(() =>
        File("three.json", """{"format":"symlab-model","version":1,"precision":"float32","inputs":3,"layers":[{"activation":"sigmoid","weights":[[1,2,3]],"biases":[0]}]}"""));

    /// <summary>Data with a feature too large for float32 (its square root of the largest float32 is about 1.8e19).</summary>
    private static readonly Lazy<string> Huge = new(() => File("huge.csv", "x1,x2,y\n1,2,0\n1e30,2,1\n3,4,0\n"));

    /// <summary>Two features too large for float32: the message names the larger, not the first.</summary>
    private static readonly Lazy<string> HugeTwice = new(() => File("huge-twice.csv", "x1,x2,y\n1,2,0\n1e25,2,1\n3,-1e30,0\n"));

    /// <summary>A regression target too large for float32's squares.</summary>
    private static readonly Lazy<string> HugeTarget = new(() => File("huge-target.csv", "x1,y\n1,0.5\n2,1e30\n3,0.25\n"));

    /// <summary>The built-in sets and generators the unknown-data message lists.</summary>
    private static string DataChoices => $"built in: {string.Join(", ", SymmetryLab.Data.Catalog.Entries.Select(e => e.Name))}; generators: {string.Join(", ", SymmetryLab.Data.Generators.GeneratorCatalog.All.Select(g => g.Name))}, e.g. circles:n=300,noise=0.05,factor=0.5";

    /// <summary>What the limit says of 2e9 rows of xor (2 features and a target).</summary>
    private static string XorOverLimit => SymmetryLab.Data.DataLimits.OverLimit("X", 6_000_000_000, SymmetryLab.Data.DataLimits.AvailableBytes)![3..];

    public static readonly Dictionary<string, Case> Cases = new()
    {
        ["epochs"] = new(() => Run(Xor with { Epochs = -1 }), "RunSettings.Epochs",
            "RunSettings.Epochs = -1: must be 0 or more (0 writes the initialized model and trains nothing)",
            "--epochs -1: must be 0 or more (0 writes the initialized model and trains nothing)", ["train", "--data", "xor", "--epochs", "-1"]),
        ["epochs-max"] = new(() => Run(Xor with { Epochs = 1_000_001 }), "RunSettings.Epochs",
            "RunSettings.Epochs = 1000001: at most 1,000,000 (history.csv keeps a row per epoch)",
            "--epochs 1000001: at most 1,000,000 (history.csv keeps a row per epoch)", ["train", "--data", "xor", "--epochs", "1000001"]),
        ["batch"] = new(() => Run(Xor with { Batch = -1 }), "RunSettings.Batch",
            "RunSettings.Batch = -1: must be a positive number or 0 (the whole set)",
            "--batch -1: must be a positive number or 'full'"),
        ["lr"] = new(() => Run(Xor with { LearningRate = 0 }), "RunSettings.LearningRate",
            "RunSettings.LearningRate = 0: must be a positive number",
            "--lr 0: must be a positive number", ["train", "--data", "xor", "--lr", "0"]),
        ["optimizer-lr"] = new(() => Run(Xor with { Optimizer = new Adam(-1) }), "RunSettings.Optimizer.LearningRate",
            "RunSettings.Optimizer.LearningRate = -1: must be a positive number",
            "--lr -1: must be a positive number"),
        ["l2"] = new(() => Run(Xor with { L2 = -1 }), "RunSettings.L2",
            "RunSettings.L2 = -1: must be >= 0",
            "--l2 -1: must be >= 0", ["train", "--data", "xor", "--l2", "-1"]),
        ["dropout"] = new(() => Run(Xor with { Dropout = 1 }), "RunSettings.Dropout",
            "RunSettings.Dropout = 1: must be in [0, 1)",
            "--dropout 1: must be in [0, 1)", ["train", "--data", "xor", "--dropout", "1"]),
        ["threads"] = new(() => Run(Xor with { Threads = 0 }), "RunSettings.Threads",
            "RunSettings.Threads = 0: must be at least 1",
            "--threads 0: must be at least 1", ["train", "--data", "xor", "--threads", "0"]),
        ["threads-max"] = new(() => Run(Xor with { Threads = 100_000 }), "RunSettings.Threads",
            $"RunSettings.Threads = 100000: at most {TrainingRun.MaxThreads} (the results do not depend on it; this machine has {Environment.ProcessorCount} cores)",
            $"--threads 100000: at most {TrainingRun.MaxThreads} (the results do not depend on it; this machine has {Environment.ProcessorCount} cores)", ["train", "--data", "xor", "--threads", "100000"]),
        ["record-every"] = new(() => Run(Xor with { RecordEvery = 0 }), "RunSettings.RecordEvery",
            "RunSettings.RecordEvery = 0: must be a whole number of steps >= 1",
            "--record weights:0: EVERY must be a whole number of steps >= 1"),
        ["layers"] = new(() => Run(Xor with { Layers = [2, 0] }), "RunSettings.Layers",
            "RunSettings.Layers = [2, 0]: every width must be at least 1",
            "--layers 2,0: every width must be at least 1"),
        ["softmax"] = new(() => Run(Xor with { Activation = Activation.Softmax }), "RunSettings.Activation",
            "RunSettings.Activation = softmax: softmax is for the output layer only (RunSettings.OutputActivation)",
            "--activation softmax: softmax is for the output layer only (--output-activation)", ["train", "--data", "xor", "--activation", "softmax"]),
        ["hidden-softmax"] = new(() => Run(Xor with { Layers = [3, 3, 1], HiddenActivations = [Activation.Tanh, Activation.Softmax] }), "RunSettings.HiddenActivations",
            "RunSettings.HiddenActivations = [tanh, softmax]: softmax is for the output layer only (RunSettings.OutputActivation)",
            "--activation softmax: softmax is for the output layer only (--output-activation)"),
        ["hidden-count"] = new(() => Run(Xor with { Layers = [3, 1], HiddenActivations = [Activation.Tanh, Activation.Tanh] }), "RunSettings.Layers",
            "RunSettings.Layers = [3, 1]: 1 hidden layers, but 2 hidden activations",
            "--layers 3,1: 1 hidden layers, but 2 hidden activations"),
        ["layers-model"] = new(() => Run(new RunSettings { Data = "coffee", Model = OneUnit.Value, Layers = [3, 1] }), "RunSettings.Layers",
            $"RunSettings.Layers = [3, 1] disagrees with RunSettings.Model = {OneUnit.Value} (1); the layers come from the file",
            $"--layers 3,1 disagrees with --model {OneUnit.Value} (1); the layers come from the file", ["train", "--data", "coffee", "--model", OneUnit.Value, "--layers", "3,1"]),
        ["loss-output"] = new(() => Run(Xor with { Loss = Loss.Bce, OutputActivation = Activation.Relu }), "RunSettings.Loss",
            "RunSettings.Loss = bce needs RunSettings.OutputActivation = sigmoid, not relu",
            "--loss bce needs --output-activation sigmoid, not relu", ["train", "--data", "xor", "--loss", "bce", "--output-activation", "relu"]),
        ["outputs"] = new(() => Run(Xor with { Layers = [3, 2], Loss = Loss.Bce }), "RunSettings.Layers",
            $"RunSettings.Layers = [3, 2] with RunSettings.Loss = bce: the output layer has 2 units, but the target 'y' of {Name("xor")} needs 1 (bce: one sigmoid output), or 2 (ce: a softmax over the two classes)",
            $"--layers 3,2 with --loss bce: the output layer has 2 units, but the target 'y' of {Name("xor")} needs 1 (bce: one sigmoid output), or 2 (ce: a softmax over the two classes)",
            ["train", "--data", "xor", "--layers", "3,2", "--loss", "bce"]),
        ["bce-target"] = new(() => Run(new RunSettings { Data = "iris", Loss = Loss.Bce }), "RunSettings.Loss",
            "RunSettings.Loss = bce: the target 'species' of iris is not 0/1",
            "--loss bce: the target 'species' of iris is not 0/1", ["train", "--data", "iris", "--loss", "bce"]),
        ["ce-target"] = new(() => Run(new RunSettings { Data = "plane", Loss = Loss.Ce }), "RunSettings.Loss",
            $"RunSettings.Loss = ce: the target 'y' of {Name("plane")} is not a class label 0..K-1",
            $"--loss ce: the target 'y' of {Name("plane")} is not a class label 0..K-1", ["train", "--data", "plane", "--loss", "ce"]),
        ["array-length"] = new(() => Run(new RunSettings { Data = "coffee", Layers = [100_000, 100_000, 1] }), "RunSettings.Layers",
            "RunSettings.Layers = [100000, 100000, 1]: a layer of 100000 units over 100000 inputs would have 10,000,000,000 weights, more than one array holds (2,147,483,591)",
            "--layers 100000,100000,1: a layer of 100000 units over 100000 inputs would have 10,000,000,000 weights, more than one array holds (2,147,483,591)",
            ["train", "--data", "coffee", "--layers", "100000,100000,1"]),
        ["test-fraction"] = new(() => Run(Xor with { Test = "1.5" }), "RunSettings.Test",
            "RunSettings.Test = 1.5: a fraction must be between 0 and 1",
            "--test 1.5: a fraction must be between 0 and 1", ["train", "--data", "xor", "--test", "1.5"]),
        ["test-rows"] = new(() => Run(Xor with { Test = "0.001" }), "RunSettings.Test",
            "RunSettings.Test = 0.001: leaves no rows on one side of 200",
            "--test 0.001: leaves no rows on one side of 200", ["train", "--data", "xor", "--test", "0.001"]),
        ["perturb-layer"] = new(() => Run(Xor with { Layers = [2, 1], Perturb = new Perturbation(0.1, 3) }), "RunSettings.Perturb",
            "RunSettings.Perturb = new Perturbation(0.1, layer: 3): the network has layers 1 to 2",
            "--perturb 0.1:3: the network has layers 1 to 2", ["train", "--data", "xor", "--layers", "2,1", "--perturb", "0.1:3"]),
        ["perturb-swallowed"] = new(() => Run(Xor with { Layers = [2, 1], Perturb = new Perturbation(1e-30) }), "RunSettings.Perturb",
            "RunSettings.Perturb = new Perturbation(1E-30, layer: 1): W1[1,1] = -0.7716187 does not change in float32; use RunSettings.Precision = float64 or a larger perturbation",
            "--perturb 1E-30: W1[1,1] = -0.7716187 does not change in float32; use --precision float64 or a larger EPS", ["train", "--data", "xor", "--layers", "2,1", "--perturb", "1e-30"]),
        ["sweep-threads"] = new(() => Run(Xor, new SweepOptions { Seeds = [1], Threads = 0 }), "SweepOptions.Threads",
            "SweepOptions.Threads = 0: must be at least 1",
            "--threads 0: must be at least 1", ["sweep", "--data", "xor", "--seeds", "1..2", "--threads", "0"]),
        ["sweep-threshold"] = new(() => Run(Xor, new SweepOptions { Seeds = [1], Threshold = -1 }), "SweepOptions.Threshold",
            "SweepOptions.Threshold = -1: must be a number >= 0",
            "--threshold -1: must be a number >= 0", ["sweep", "--data", "xor", "--seeds", "1..2", "--threshold", "-1"]),
        ["sweep-shard"] = new(() => Run(Xor, new SweepOptions { Seeds = [1, 2], Shard = new SweepShard(1, 2) }), "SweepOptions.Shard",
            "SweepOptions.Shard needs SweepOptions.Out: a shard's runs are only useful written down for Sweep.Merge",
            "--shard needs --out: a shard's runs are only useful written down for 'sweep merge'", ["sweep", "--data", "xor", "--seeds", "1..2", "--shard", "1/2"]),
        ["sweep-no-seeds"] = new(() => Run(Xor, new SweepOptions { Seeds = [] }), "SweepOptions.Seeds",
            "SweepOptions.Seeds = []: no seeds",
            "--seeds []: no seeds"),
        ["sweep-seed-twice"] = new(() => Run(Xor, new SweepOptions { Seeds = [1, 2, 1] }), "SweepOptions.Seeds",
            "SweepOptions.Seeds: seed 1 is listed twice",
            "--seeds: seed 1 is listed twice"),
        ["merge-dirs"] = new(() => Assert.Throws<SettingsException>(() => Sweep.Merge([], TestNets.TempDir())), "dirs",
            "dirs: name at least one shard folder",
            "sweep merge: name at least one shard folder"),
        ["merge-threshold"] = new(() => Assert.Throws<SettingsException>(() => Sweep.Merge([TestNets.TempDir()], TestNets.TempDir(), threshold: -1)), "threshold",
            "threshold = -1: must be a number >= 0",
            "--threshold -1: must be a number >= 0", ["sweep", "merge", "a", "--out", "b", "--threshold", "-1"]),
        // Bad data (DataException) that a setting could mend names the setting the same way.
        ["model-inputs"] = new(() => Assert.Throws<SymmetryLab.Data.DataException>(() => Sweep.Run(new RunSettings { Data = "coffee", Model = ThreeInputs.Value }, new SweepOptions { Seeds = [1] })), null,
            $"RunSettings.Model = {ThreeInputs.Value} takes 3 inputs but {Name("coffee")} has 2 features",
            $"--model {ThreeInputs.Value} takes 3 inputs but {Name("coffee")} has 2 features", ["train", "--data", "coffee", "--model", ThreeInputs.Value]),
        ["data-unknown"] = new(() => Assert.Throws<SymmetryLab.Data.DataException>(() => Sweep.Run(new RunSettings { Data = "nosuchset" }, new SweepOptions { Seeds = [1] })), null,
            $"spec = nosuchset: not a file, a built-in data set or a generator ({DataChoices})",
            $"--data nosuchset: not a file, a built-in data set or a generator ({DataChoices})", ["train", "--data", "nosuchset"]),
        ["generator-parameter"] = new(() => Assert.Throws<SymmetryLab.Data.DataException>(() => Sweep.Run(new RunSettings { Data = "moons:n=0" }, new SweepOptions { Seeds = [1] })), null,
            "spec = moons:n=0: n=0: n must be an integer >= 2",
            "--data moons:n=0: n=0: n must be an integer >= 2", ["train", "--data", "moons:n=0"]),
        ["generator-size"] = new(() => Assert.Throws<SymmetryLab.Data.DataException>(() => Sweep.Run(new RunSettings { Data = "xor:n=2000000000" }, new SweepOptions { Seeds = [1] })), null,
            $"spec = xor:n=2000000000: {XorOverLimit}",
            $"--data xor:n=2000000000: {XorOverLimit}", ["train", "--data", "xor:n=2000000000"]),
        ["target-builtin"] = new(() => Assert.Throws<SymmetryLab.Data.DataException>(() => Sweep.Run(new RunSettings { Data = "coffee", Target = "y" }, new SweepOptions { Seeds = [1] })), null,
            "target = y: the built-in set 'coffee' has its target already",
            "--target y: the built-in set 'coffee' has its target already", ["train", "--data", "coffee", "--target", "y"]),
        ["magnitude"] = new(() => Assert.Throws<SymmetryLab.Data.DataException>(() => Sweep.Run(new RunSettings { Data = Huge.Value }, new SweepOptions { Seeds = [1] })), null,
            $"{Huge.Value}: row 2, x1 is 1E+30: beyond 1.84E+19, the square root of the largest float32 number, a weight times it overflows; rescale the data (RunSettings.Normalize = zscore cannot: its variance overflows too)",
            $"{Huge.Value}: row 2, x1 is 1E+30: beyond 1.84E+19, the square root of the largest float32 number, a weight times it overflows; rescale the data (--normalize zscore cannot: its variance overflows too)",
            ["train", "--data", Huge.Value]),
        ["magnitude-largest"] = new(() => Assert.Throws<SymmetryLab.Data.DataException>(() => Sweep.Run(new RunSettings { Data = HugeTwice.Value }, new SweepOptions { Seeds = [1] })), null,
            $"{HugeTwice.Value}: row 3, x2 is -1E+30: beyond 1.84E+19, the square root of the largest float32 number, a weight times it overflows; rescale the data (RunSettings.Normalize = zscore cannot: its variance overflows too)",
            $"{HugeTwice.Value}: row 3, x2 is -1E+30: beyond 1.84E+19, the square root of the largest float32 number, a weight times it overflows; rescale the data (--normalize zscore cannot: its variance overflows too)",
            ["train", "--data", HugeTwice.Value]),
        ["magnitude-target"] = new(() => Assert.Throws<SymmetryLab.Data.DataException>(() => Sweep.Run(new RunSettings { Data = HugeTarget.Value }, new SweepOptions { Seeds = [1] })), null,
            $"{HugeTarget.Value}: row 2, the target y is 1E+30: beyond 1.84E+19, its square in the cost overflows float32; rescale the target",
            $"{HugeTarget.Value}: row 2, the target y is 1E+30: beyond 1.84E+19, its square in the cost overflows float32; rescale the target",
            ["train", "--data", HugeTarget.Value]),
        // RunSettings.RecordEvery and Out are the train command's (a sweep keeps no trajectories): the run it does refuses them.
        ["record-sweep"] = new(() => Run(Xor with { RecordEvery = 5 }), "RunSettings.RecordEvery",
            "RunSettings.RecordEvery = 5: a sweep records no trajectories; train the seed alone to record its weights",
            "--record weights:5: a sweep records no trajectories; train the seed alone to record its weights"),
        ["record-out"] = new(() => Assert.Throws<SettingsException>(() => TrainingRun.Execute(Xor with { RecordEvery = 1 })), "RunSettings.RecordEvery",
            "RunSettings.RecordEvery: needs RunSettings.Out (trajectory.csv is written there)",
            "--record: needs --out DIR (trajectory.csv is written there)", ["train", "--data", "xor", "--record", "weights:1"]),
        ["record-rows"] = new(() => Assert.Throws<SettingsException>(() => TrainingRun.Execute(Xor with { Layers = [2, 1], Epochs = 1_000_000, RecordEvery = 1, Out = Path.Combine(TestNets.TempDir(), "run") })), "RunSettings.RecordEvery",
            "RunSettings.RecordEvery = 1: 9 parameters x 7000001 recorded steps = 63,000,009 rows, over the limit of 2,000,000; record less often (RunSettings.RecordEvery = 32) or train fewer epochs",
            "--record weights:1: 9 parameters x 7000001 recorded steps = 63,000,009 rows, over the limit of 2,000,000; record less often (--record weights:32) or train fewer epochs"),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    public static TheoryData<string> Commands => [.. Cases.Where(c => c.Value.Command is not null).Select(c => c.Key)];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_library_names_its_parameter_and_the_flag_namer_says_symlabs_words(string name)
    {
        var c = Cases[name];
        var e = c.Refuse();
        Assert.Equal(c.Library, e.Message);
        Assert.DoesNotContain("--", e.Message);
        Assert.Equal(c.Parameter, (e as SettingsException)?.Parameter);
        Assert.Equal(c.Flags, FlagMessages.Of(e));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Symlab_prints_the_flag_words_and_exits_2(string name)
    {
        var c = Cases[name];
        var (code, output, err) = CliTests.Run(c.Command!);
        Assert.Equal((2, "", $"symlab: {c.Flags}\n"), (code, output, err));
    }

    [Fact]
    public void A_message_in_the_callers_own_words_is_said_alike_everywhere()
    {
        var e = new SettingsException("--lr 0: must be a positive number");
        Assert.Null(e.Parameter);
        Assert.Equal(e.Message, FlagMessages.Of(e));
    }
}
