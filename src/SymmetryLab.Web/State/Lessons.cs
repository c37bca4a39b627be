using System.Globalization;
using SymmetryLab.Lab.Experiments;
using SymmetryLab.Numerics;

namespace SymmetryLab.Web.State;

/// <summary>One starting point of a lesson: a label and the whole state it opens.</summary>
internal sealed record LessonStart(string Label, PlaygroundState State);

/// <summary>An experiment of <c>symlab experiment list</c> as the playground opens it: its question, what to try, and its starting points.</summary>
internal sealed record Lesson(Experiment Experiment, string Try, IReadOnlyList<LessonStart> Starts);

/// <summary>
/// Every experiment's starting points in the playground: the experiment's data, network, initialization,
/// optimizer, seed and precision (float64, as the experiments run), one start per run it compares (the
/// lessons' questions come from the experiments themselves). Tests check that every experiment of the
/// catalog has its lesson here, and that what-breaks-symmetry's starts end as its table says.
/// </summary>
internal static class Lessons
{
    private static readonly PlaygroundState Coffee = new()
    {
        Data = "coffee", Test = null, Normalize = "zscore", Hidden = [3], Activations = ["sigmoid"], Optimizer = "adam", Lr = 0.01, Batch = "32", Precision = "float64",
    };

    private static WeightEdit E(string p, string v) => new(p, v);

    /// <summary><paramref name="count"/> normal draws (sd <paramref name="std"/>) from seed 7's perturbation stream, as what-breaks-symmetry makes them, set on the parameters <paramref name="name"/> names in order.</summary>
    private static WeightEdit[] Drawn(Func<int, string> name, int count, double std)
    {
        var rng = Rng.Stream(7, RngStream.Perturbation);
        return [.. Enumerable.Range(0, count).Select(i => E(name(i), rng.NextNormal(0, std).ToString("R", CultureInfo.InvariantCulture)))];
    }

    public static IReadOnlyList<Lesson> All { get; } = Build();

    public static Lesson? Find(string name) => All.FirstOrDefault(l => l.Experiment.Name == name);

    private static List<Lesson> Build()
    {
        var lessons = new List<Lesson>();
        void Add(string name, string tryThis, params LessonStart[] starts) =>
            lessons.Add(new Lesson(ExperimentCatalog.Find(name) ?? throw new InvalidOperationException($"no experiment {name}"), tryThis, starts));

        var digits = new PlaygroundState
        {
            Data = "digits01", Test = 0.2, Hidden = [25, 15], Activations = ["sigmoid", "sigmoid"], Optimizer = "adam", Lr = 0.001, Batch = "32", Precision = "float64",
        };
        Add("why-different", "Press play on each start and watch 'distinct of' above each layer: which starts keep all 25 units alike, which let them differ?",
            new("random (glorot-uniform)", digits),
            new("zeros", digits with { Init = "zeros" }),
            new("constant 0.5", digits with { Init = "constant:0.5" }),
            new("symmetric random", digits with { Init = "symmetric:glorot-uniform" }));

        var tied = Coffee with
        {
            Hidden = [2],
            Init = "zeros",
            Edits = [E("W1[1,1]", "0.2"), E("W1[1,2]", "-0.3"), E("W2[1,1]", "0.5")],
            Ties = [new("W1[1,1]", "W1[2,1]"), new("W1[1,2]", "W1[2,2]"), new("W2[1,1]", "W2[1,2]")],
        };
        Add("tied-2-2-1", "The lesson's w1 = w3, w2 = w4, w5 = w6 are ties here. Play 500 steps and read '1 distinct of 2'. Then open the untied start (w6 = 0.6) or click W1[1,1] and W1[2,1] to compare their chain rules.",
            new("tied: w1 = w3, w2 = w4, w5 = w6", tied),
            new("untied: w6 = 0.6", tied with { Edits = [.. tied.Edits, E("W2[1,2]", "0.6")], Ties = tied.Ties[..2] }));

        var zeros = Coffee with { Init = "zeros", Optimizer = "gd", Lr = 1.0, Batch = null };
        Add("logistic-from-zero", "Logistic regression (no hidden layer) from zeros: do its weights move, and do they differ from each other? Then the same with a hidden layer of 3.",
            new("logistic regression from zeros", zeros with { Hidden = [], Activations = [] }),
            new("hidden layer of 3 from zeros", zeros),
            new("hidden layer of 3, random start", zeros with { Init = "glorot-uniform" }));

        var iris = new PlaygroundState
        {
            Data = "iris", Test = 0.2, Normalize = "zscore", Hidden = [6], Activations = ["sigmoid"], Loss = "ce", Optimizer = "adam", Lr = 0.01, Batch = "32", Precision = "float64",
        };
        Add("esl-k-class", "Six derived features Z_m for three classes: after training, are any two hidden units the same?",
            new("iris, M = 6", iris),
            new("optdigits, M = 16", iris with { Data = "optdigits", Hidden = [16] }));

        Add("tanh-sgd", "One sample per step: click W1[1,1] and then W1[2,1] to see the lesson's dL/dW11 and dL/dW12 side by side for one sample.",
            new LessonStart("3-3-1 tanh, squared loss, one sample a step", new PlaygroundState
            {
                Data = "plane:n=200,features=3,noise=0.1", Test = null, Hidden = [3], Activations = ["tanh"], Optimizer = "sgd", Lr = 0.01, Batch = "1", Precision = "float64",
            }));

        var rows = Coffee with { Hidden = [4] };
        Add("rows-of-w1", "Train long: do the four rows of W1 come together? Compare with the symmetric start, whose rows are equal from the beginning.",
            new("random start, seed 1", rows),
            new("random start, seed 2", rows with { Seed = 2 }),
            new("symmetric start", rows with { Init = "symmetric:glorot-uniform" }));

        var bowl = Coffee with { Lr = 0.05 };
        Add("soup-bowl", "Change only the seed: the units end up different each time. Download model.json from two seeds and compare them with symlab compare.",
            new("seed 1", bowl), new("seed 2", bowl with { Seed = 2 }), new("seed 3", bowl with { Seed = 3 }));

        // The experiment's switches, labelled as its table labels them: its random draws (normal, from the
        // perturbation stream of seed 7, one stream per switch) are the hand-set weights here.
        var symmetric = Coffee with { Hidden = [4], Init = "symmetric:glorot-uniform", Seed = 7, Optimizer = "gd", Lr = 1.0, Batch = null };
        Add("what-breaks-symmetry", "Every start begins with four identical hidden units and changes one thing. Which ones split the layer, and at which step? (The experiment trains 100 or 400 epochs, one step each at full batch, the nudged start 20 times longer.)",
            new("nothing (the symmetric start)", symmetric),
            new("random incoming weights only", symmetric with { Edits = Drawn(i => $"W1[{i / 2 + 1},{i % 2 + 1}]", 8, 1.0) }),
            new("random outgoing weights only", symmetric with { Edits = Drawn(i => $"W2[1,{i + 1}]", 4, 1.0) }),
            new("random biases only", symmetric with { Edits = Drawn(i => $"b1[{i + 1}]", 4, 0.5) }),
            new("dropout 0.2", symmetric with { Dropout = 0.2 }),
            new("minibatches of 16, reshuffled every epoch", symmetric with { Optimizer = "sgd", Batch = "16", Lr = 0.1 }),
            new("adam instead of gradient descent", symmetric with { Optimizer = "adam", Lr = 0.01, Batch = "32" }),
            new("one weight of unit 1 nudged by 1E-12", symmetric with { Perturb = "1e-12" }));

        var dead = Coffee with { Init = "zeros" };
        Add("dead-or-symmetric", "All weights start at zero; only the hidden activation changes. Which units move at all, and do they ever differ?",
            new("sigmoid", dead), new("tanh", dead with { Activations = ["tanh"] }), new("relu", dead with { Activations = ["relu"] }), new("linear", dead with { Activations = ["linear"] }));

        var dls = new PlaygroundState
        {
            Data = "circles-dls", Test = null, Hidden = [10, 5], Activations = ["relu", "relu"], Optimizer = "gd", Lr = 0.01, Batch = null, Seed = 3, Precision = "float64",
        };
        Add("dls-initialization", "The course's three initializations of a 2-10-5-1 relu net: watch the loss and the decision boundary of each.",
            new("zeros", dls with { Init = "zeros" }),
            new("random x10 (normal, sd 10)", dls with { Init = "normal:0:10" }),
            new("he-normal", dls with { Init = "he-normal" }));
        return lessons;
    }
}
