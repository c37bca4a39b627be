using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;
using SymmetryLab.Runs;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Serialization;

/// <summary>
/// The JSON files of a run and a sweep keep their bytes: symmetry.json, run.json, sweep.json, shard.json,
/// summary.json, diverged.json, the parts' lines and train's --json answer must equal, byte for byte, what
/// the hand-written Utf8JsonWriter code wrote (Fixtures/, committed before the writers became
/// System.Text.Json records). The setups cover nulls, one-unit layers, strings to escape (quotes, control
/// characters, non-ASCII), the largest seeds, doubles that need 17 digits, float32 parameters at the
/// edges (-0, subnormals, the largest), sweeps whose every run diverged, and real runs and sweeps.
/// A missing or different fixture fails, and the bytes written are left under received/ beside the test
/// binary to compare (or, for a new case, to commit after reading them).
/// </summary>
public class RunJsonBytesTests
{
    public static IEnumerable<object[]> Setups => Cases.Keys.Select(k => new object[] { k });

    /// <summary>Each case gives the files it writes, by their fixture name.</summary>
    private static readonly Dictionary<string, Func<IReadOnlyDictionary<string, string>>> Cases = new()
    {
        ["run-plain"] = () => RunFiles(PlainResult(), new RunSettings()),
        ["run-edges"] = () => RunFiles(EdgeResult(), new RunSettings
        {
            Data = "/tmp/donn\u00e9es/x \"y\".csv",
            Target = "prix \u20ac",
            Test = "0.25",
            SplitSeed = ulong.MaxValue,
            L2 = 1e-300,
            Dropout = 0.1 + 0.2,
            Normalize = InputNormalization.ZScore,
        }),
        ["train-coffee"] = () => TrainFolder(["train", "--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--epochs", "3"]),
        ["train-xor-tied-float64"] = () => TrainFolder(["train", "--data", "xor", "--layers", "2,1", "--init", "zeros", "--precision", "float64", "--epochs", "4", "--perturb", "0.001", "--test", "0.25"]),
        ["sweep-diverging"] = () => SweepFolder(["sweep", "--data", "xor", "--layers", "4,1", "--activation", "tanh", "--loss", "mse", "--output-activation", "linear",
            "--optimizer", "gd", "--lr", "0.5", "--epochs", "300", "--seeds", "1..12", "--keep", "diverged"]),
        ["sweep-shard-float64"] = () => SweepFolder(["sweep", "--data", "coffee", "--normalize", "zscore", "--layers", "3,1", "--epochs", "3", "--precision", "float64",
            "--seeds", "1..5,9", "--shard", "2/2", "--test", "0.2"]),
        ["sweep-records"] = () => new Dictionary<string, string>
        {
            ["float32.jsonl"] = new SweepRecord(ulong.MaxValue, 0.1 + 0.2, null, 1e-300, 1, [2, 1], [null, 17], [-0.0, 1e-45, -1.401298464324817E-45, 3.4028234663852886E+38, 0.1f, 1.0 / 3, 16777217, 1e-5f]).ToJsonLine("float32") + "\n"
                + SweepRecord.Divergence(3, "diverged at epoch 2 (\"layer 1\"): caf\u00e9 \u20ac\t<&>").ToJsonLine("float32") + "\n",
            ["float64.jsonl"] = new SweepRecord(0, 2.5e-8, 0.75, null, null, [], [], [-0.0, double.Epsilon, double.MaxValue, 0.1 + 0.2, 1e21, 1.0 / 3]).ToJsonLine("float64") + "\n",
        },
        ["sweep-all-diverged"] = () =>
        {
            var summary = new SweepSummary(new SweepLayout(2, [(2, Activation.Sigmoid), (1, Activation.Sigmoid)], "float32", null, "y"), 0.05);
            foreach (ulong seed in new ulong[] { 4, 5, 6 }) summary.Add(SweepRecord.Divergence(seed, $"seed {seed}: the loss became NaN at epoch 1"));
            summary.Complete();
            return new Dictionary<string, string> { ["summary.json"] = summary.Json("{\"data\":\"xor\"}", "4..6", _ => null) };
        },
        ["sweep-settings"] = () => new Dictionary<string, string>
        {
            ["default.json"] = Sweep.Describe(new RunSettings()),
            ["edges.json"] = Sweep.Describe(new RunSettings
            {
                Data = "d\u00e9j\u00e0 \"vu\".csv",
                Target = "\u00e9tiquette",
                Layers = [25, 15, 3],
                Activation = Activation.Relu,
                OutputActivation = Activation.Softmax,
                Loss = Loss.Ce,
                Model = "m\u00f6del.json",
                LearningRate = 0.1 + 0.2,
                Batch = 0,
                L2 = 1e-4,
                Dropout = 0.5,
                Precision = Precision.Float64,
                Test = "0.2",
                SplitSeed = ulong.MaxValue,
                Perturb = new Perturbation(1e-3, 2),
            }),
        },
        ["train-json"] = () => new Dictionary<string, string>
        {
            ["coffee.json"] = Stdout(["train", "--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--epochs", "3", "--json"]),
            ["xor-mse.json"] = Stdout(["train", "--data", "xor", "--layers", "2,1", "--init", "zeros", "--loss", "mse", "--output-activation", "linear", "--epochs", "2", "--json"]),
        },
        ["cli-json"] = () => CliAnswers(new()
        {
            ["inspect.json"] = ["inspect", "MODEL", "--data", "xor", "--json"],
            ["inspect-nodata.json"] = ["inspect", "MODEL", "--json"],
            ["audit.json"] = ["audit", "MODEL", "--data", "xor", "--json"],
            ["audit-merge.json"] = ["audit", "MODEL", "--merge", "DIR/merged.json", "--json"],
            ["predict-input.json"] = ["predict", "MODEL", "--input", "0.5,-1e-7", "--json"],
            ["predict-data.json"] = ["predict", "MODEL", "--data", "xor", "--json"],
            ["explain.json"] = ["explain", "MODEL", "--data", "xor", "--weight", "W1[1,1]", "--vs", "W1[2,1]", "--json"],
            ["train-deep.json"] = ["train", "--data", "xor", "--layers", "3,2,1", "--activation", "tanh", "--epochs", "3", "--out", "DIR/deep", "--json"],
            ["explain-paths.json"] = ["explain", "DIR/deep/model.json", "--data", "xor", "--weight", "W1[2,2]", "--sample", "3", "--json"],
            ["gradcheck.json"] = ["gradcheck", "MODEL", "--data", "xor", "--json"],
            ["compare.json"] = ["compare", "MODEL", "MODEL", "--data", "xor", "--json"],
            ["compare-nodata.json"] = ["compare", "MODEL", "MODEL", "--json"],
            ["data-list.json"] = ["data", "list", "--json"],
            ["data-show.json"] = ["data", "show", "xor", "--json"],
            ["data-export.json"] = ["data", "export", "xor", "--csv", "DIR/xor.csv", "--json"],
            ["train-report.json"] = ["train", "--data", "xor", "--layers", "2,1", "--epochs", "2", "--out", "DIR/run", "--report", "--json"],
            ["report.json"] = ["report", "DIR/run", "--out", "DIR/r.html", "--json"],
            ["experiment-list.json"] = ["experiment", "list", "--json"],
            ["experiment-run.json"] = ["experiment", "run", "tied-2-2-1", "--quick", "--out", "DIR/exp", "--json"],
        }),
    };

    /// <summary>
    /// The --json answers of commands, in order, on the tied 2-2-1 model (a fixture of its own) copied to
    /// a temporary folder: MODEL is its path, DIR/ names files in that folder, and the folder's path is
    /// written DIR in the answers.
    /// </summary>
    private static IReadOnlyDictionary<string, string> CliAnswers(Dictionary<string, string[]> commands)
    {
        string dir = TestNets.TempDir(), model = Path.Combine(dir, "model.json");
        try
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures", "model-float32-tied-2-2-1-normalized.json"), model);
            return commands.ToDictionary(c => c.Key, c => Stdout([.. c.Value.Select(a => a == "MODEL" ? model : a.StartsWith("DIR/", StringComparison.Ordinal) ? Path.Combine(dir, a[4..]) : a)]).Replace(dir, "DIR", StringComparison.Ordinal));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static IReadOnlyDictionary<string, string> RunFiles(RunResult result, RunSettings settings)
    {
        string dir = TestNets.TempDir();
        try
        {
            RunFolder.Write(dir, result, settings);
            return new Dictionary<string, string> { ["symmetry.json"] = File.ReadAllText(Path.Combine(dir, "symmetry.json")), ["run.json"] = File.ReadAllText(Path.Combine(dir, "run.json")) };
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static IReadOnlyDictionary<string, string> TrainFolder(string[] args) => Folder(args, "run", f => f.EndsWith(".json", StringComparison.Ordinal) && f is not ("model.json" or "initial.json"));

    private static IReadOnlyDictionary<string, string> SweepFolder(string[] args) => Folder(args, "sweep", f => !f.StartsWith("solutions", StringComparison.Ordinal) && !f.EndsWith("initial.json", StringComparison.Ordinal));

    /// <summary>Runs the command line with <c>--out</c> and gives back the files of its folder that <paramref name="keep"/> keeps.</summary>
    private static IReadOnlyDictionary<string, string> Folder(string[] args, string name, Func<string, bool> keep)
    {
        string root = TestNets.TempDir(), dir = Path.Combine(root, name);
        try
        {
            var (code, _, err) = CliTests.Run([.. args, "--out", dir]);
            Assert.True(code == 0 || (code == 3 && args[0] == "sweep"), err); // a sweep where some seed diverged ends with 3
            return Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(keep).Order(StringComparer.Ordinal).ToDictionary(f => f.Replace('/', '_'), f => File.ReadAllText(Path.Combine(dir, f)));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    private static string Stdout(string[] args)
    {
        var (code, output, err) = CliTests.Run(args);
        Assert.True(code == 0, err);
        return output;
    }

    /// <summary>A diagnosis with any kind and sentence (strings to escape): the library builds them only from measurements, so through its internal factory for fixtures.</summary>
    private static Diagnosis Said(string kind, string explanation) => Diagnosis.Stated(kind, explanation);

    private static RunResult PlainResult() => new()
    {
        Loss = 0.25,
        Epochs = 2,
        Steps = 8,
        Seed = 1,
        Precision = "float32",
        Shape = "2-2-1",
        Layers = [new UnitGroups(1, 2, [[1, 2]], [[1, 2]]), new UnitGroups(2, 1, [[1]], [])],
        Diagnosis = Said("symmetric", "Both hidden units started identical and stayed so."),
        History = [],
        DistinctHistory = [],
        InitialModel = "{}",
        FinalModel = "{}",
        LossName = "bce",
        Optimizer = "adam",
        LearningRate = 0.01,
        BatchSize = 32,
        Init = "zeros",
        DistinctAtStart = [1, 1],
        BrokeAtStep = [null, null],
        MinDistanceHistory = [],
    };

    private static RunResult EdgeResult() => PlainResult() with
    {
        Seed = ulong.MaxValue,
        Steps = long.MaxValue,
        Epochs = int.MaxValue,
        Precision = "float64",
        Shape = "3-4-3-1",
        Layers = [new UnitGroups(1, 4, [[1, 3], [2], [4]], [[1, 3], [2, 4]]), new UnitGroups(2, 3, [[1], [2], [3]], []), new UnitGroups(3, 1, [[1]], [])],
        Diagnosis = Said("broken \"early\"", "Units split at step 3 \u2014 caf\u00e9 \u20ac <b>&</b>\n\ta new line and a tab; \u0001 a control character."),
        Perturbation = "0.001 added to W1[1,1] (\u00e9)",
        LossName = "mse",
        Optimizer = "momentum",
        LearningRate = 0.1 + 0.2,
        BatchSize = 0,
        Init = "glorot-uniform",
        DistinctAtStart = [3, 3, 1],
        BrokeAtStep = [3, null, null],
    };

    private static string Fixture(string name, string file) => Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures", name, file);

    [Theory]
    [MemberData(nameof(Setups))]
    public void TheWritersGiveTheBytesOfTheFixtures(string name)
    {
        var files = Cases[name]();
        Assert.NotEmpty(files);
        string dir = Path.GetDirectoryName(Fixture(name, "x"))!;
        var fixtures = Directory.Exists(dir) ? Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray() : [];
        var problems = new List<string>();
        foreach (var (file, text) in files)
        {
            byte[] actual = System.Text.Encoding.UTF8.GetBytes(text);
            if (!File.Exists(Fixture(name, file))) problems.Add($"{file}: no fixture");
            else
            {
                byte[] expected = File.ReadAllBytes(Fixture(name, file));
                int at = expected.AsSpan().CommonPrefixLength(actual);
                if (at == expected.Length && at == actual.Length) continue;
                problems.Add($"{file}: the bytes differ at offset {at} of {expected.Length}: the fixture has \"{Around(expected, at)}\", the writer \"{Around(actual, at)}\"");
            }
            string received = Path.Combine(AppContext.BaseDirectory, "received", name, file);
            Directory.CreateDirectory(Path.GetDirectoryName(received)!);
            File.WriteAllBytes(received, actual);
        }
        foreach (var f in fixtures)
            if (!files.ContainsKey(f!)) problems.Add($"{f}: a fixture the case no longer writes");
        Assert.True(problems.Count == 0, $"{name}:\n{string.Join("\n", problems)}");
    }

    private static string Around(byte[] bytes, int at) =>
        System.Text.Encoding.UTF8.GetString(bytes, Math.Max(0, at - 30), Math.Min(bytes.Length, at + 30) - Math.Max(0, at - 30)).Replace("\n", "\\n");
}
