using System.Text.Json;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Runs;

/// <summary>
/// A sweep trains full-batch setups in vector lanes; every seed must end exactly where <c>train --seed N</c>
/// ends alone: the same model file bytes, the figures <c>predict</c> gives for that model, the same
/// held-out figures and the same step at which its identical units split.
/// </summary>
public class SweepLanesTests
{
    public static TheoryData<string, string> Setups => new()
    {
        // tanh hidden units, bce (sigmoid output): the XOR net of the lessons.
        { "tanh-bce", "--data xor:n=4,noise=0 --layers 2,1 --activation tanh --optimizer gd --lr 0.5 --epochs 400" },
        // sigmoid hidden units, mse on a linear output, momentum, L2, float64.
        { "sigmoid-mse", "--data circles:n=60 --layers 4,1 --activation sigmoid --loss mse --output-activation linear --optimizer momentum --batch full --lr 0.05 --l2 0.01 --epochs 150 --precision float64" },
        // relu, softmax and ce on 3 classes, adam on the full batch, a held-out fraction and a z-score (same rows for every seed).
        { "relu-ce-test", "--data blobs:n=90,k=3 --layers 5,3 --activation relu --optimizer adam --batch full --lr 0.02 --epochs 80 --test 0.25 --normalize zscore" },
        // identical units at the start and a nudge: when each layer's symmetry splits.
        { "symmetric-nudged", "--data xor:n=8,noise=0.1 --layers 3,1 --activation tanh --init symmetric:glorot-uniform --perturb 1e-4:2 --optimizer gd --lr 0.5 --epochs 60" },
    };

    [Theory]
    [MemberData(nameof(Setups))]
    public void Each_seed_of_a_lane_sweep_equals_the_same_seed_trained_alone(string name, string setup)
    {
        string root = TestNets.TempDir();
        string[] args = setup.Split(' ');
        string data = args[Array.IndexOf(args, "--data") + 1];
        foreach (var threads in new[] { "1", "2" })
        {
            // Two shards keep their records (parts/) for the merge: each seed's figures and parameters.
            var records = new List<SymmetryLab.Runs.SweepRecord>();
            SymmetryLab.Runs.SweepLayout? layout = null;
            for (int i = 1; i <= 2; i++)
            {
                string dir = Path.Combine(root, $"{name}-t{threads}-shard{i}");
                var (code, output, err) = CliTests.Run(["sweep", .. args, "--seeds", "1..9", "--shard", $"{i}/2", "--threads", threads, "--out", dir]);
                Assert.True(code == 0, err);
                Assert.Contains("trained together in vector lanes", output);
                records.AddRange(SweepFiles.Records(dir));
                layout = SweepFiles.Layout(dir);
            }
            Assert.Equal(9, records.Count);
            foreach (var r in records)
            {
                string alone = Path.Combine(root, $"{name}-t{threads}-seed{r.Seed}");
                var (code, trained, err) = CliTests.Run(["train", .. args, "--seed", $"{r.Seed}", "--threads", threads, "--out", alone, "--json"]);
                Assert.True(code == 0, err);
                string model = Path.Combine(alone, "model.json");
                Assert.Equal(File.ReadAllText(model), layout!.ModelText(r.Parameters));

                using var train = JsonDocument.Parse(trained);
                // The held-out figures: train evaluates the final model after its last epoch, as the sweep does.
                Assert.Equal(Number(train.RootElement, "testLoss"), r.TestLoss);
                Assert.Equal(Number(train.RootElement, "testAccuracy"), r.TestAccuracy);
                if (!args.Contains("--test") && !args.Contains("--l2"))
                {
                    (code, var predicted, err) = CliTests.Run("predict", model, "--data", data, "--json");
                    Assert.True(code == 0, err);
                    using var p = JsonDocument.Parse(predicted);
                    Assert.Equal(p.RootElement.GetProperty("loss").GetDouble(), r.Loss);
                    Assert.Equal(Number(p.RootElement, "accuracy"), r.Accuracy);
                }

                using var symmetry = JsonDocument.Parse(File.ReadAllText(Path.Combine(alone, "symmetry.json")));
                var layers = symmetry.RootElement.GetProperty("layers").EnumerateArray().ToList();
                Assert.Equal(layers.Select(l => l.GetProperty("distinctAtStart").GetInt32()), r.DistinctAtStart);
                Assert.Equal(layers.Select(l => l.GetProperty("brokeAtStep") is { ValueKind: JsonValueKind.Number } s ? s.GetInt64() : (long?)null), r.BrokeAtStep);
            }
            if (name == "symmetric-nudged") Assert.Contains(records, r => r.BrokeAtStep[0] is not null);
        }
    }

    private static double? Number(JsonElement e, string name) => e.GetProperty(name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;
}
