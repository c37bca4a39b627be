using System.Globalization;
using SymmetryLab.Engine;
using SymmetryLab.Lab;
using SymmetryLab.Lab.Experiments;
using SymmetryLab.Serialization;

namespace SymmetryLab.Web.Tests;

/// <summary>
/// A lesson's starts are its experiment's runs: trained as long as the experiment trains them, the playground
/// ends where the experiment's table says (the experiment's own run, not a copy of its code).
/// </summary>
[Collection("playground")]
public class LessonFidelityTests(Playground playground)
{
    [Fact]
    public async Task What_breaks_symmetry_starts_end_as_the_experiment_s_table_says()
    {
        var table = ExperimentCatalog.Find("what-breaks-symmetry")!.Run(new ExperimentOptions(Quick: true)).Tables[0];
        var lesson = State.Lessons.Find("what-breaks-symmetry")!;
        Assert.Equal(table.Rows.Select(r => r[0]), lesson.Starts.Select(s => s.Label));
        var http = playground.Http;
        foreach (var (row, start) in table.Rows.Zip(lesson.Starts))
        {
            Assert.Equal("float64", start.State.Precision);
            string id = await Api.NewSession(http, Json(start.State));
            long perEpoch = (await Api.State(http, id)).GetProperty("stepsPerEpoch").GetInt64();
            Network<double> initial = Model(await Api.Text(http, $"api/sessions/{id}/initial.json"));
            if (start.State.Perturb is null) Assert.Equal(row[1], $"{UnitGroups.Find(initial, 0).Distinct} of 4");
            // The quick experiment trains 100 epochs; the nudged run 20 times longer.
            await Api.Steps(http, id, (row[0].StartsWith("one weight", StringComparison.Ordinal) ? 2000 : 100) * perEpoch);
            Network<double> final = Model(await Api.Text(http, $"api/sessions/{id}/model.json"));
            Assert.True(row[3] == $"{UnitGroups.Find(final, 0).Distinct} of 4", $"{row[0]}: {row[3]} in the experiment");
            // Without a random draw in training (full-batch gd, no dropout) the run is the experiment's, to the digit.
            if (start.State.Optimizer == "gd" && start.State.Dropout == 0)
                Assert.True(row[4] == MinRowDistance(final).ToString("G4", CultureInfo.InvariantCulture), $"{row[0]}: distance {row[4]} in the experiment");
        }
    }

    private static string Json(State.PlaygroundState state) =>
        System.Text.Json.JsonSerializer.Serialize(state, SymmetryLab.Web.Api.PlaygroundJsonContext.Default.PlaygroundState);

    private static Network<double> Model(string json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"symlab-lesson-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try { return ModelFile.Load<double>(path); } finally { File.Delete(path); }
    }

    /// <summary>The smallest Euclidean distance between two units of layer 1 (incoming weights and bias), as the experiment measures it.</summary>
    private static double MinRowDistance(Network<double> net)
    {
        var l = net.Layers[0];
        double best = double.PositiveInfinity;
        for (int a = 0; a < l.Units; a++)
            for (int b = a + 1; b < l.Units; b++)
            {
                double d = Math.Pow(l.Biases[a] - l.Biases[b], 2);
                for (int i = 0; i < l.Inputs; i++) d += Math.Pow(l.Weight(a, i) - l.Weight(b, i), 2);
                best = Math.Min(best, Math.Sqrt(d));
            }
        return best;
    }
}

