using System.Globalization;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;

namespace SymmetryLab.Lab;

/// <summary>
/// What a run knew besides its networks: the final model's accuracy on the training data and the
/// majority-class baseline it has to beat (for a regression, its mse and the targets' mean's), and the initialization scheme it drew its weights from
/// (null when they came from a file), so that a hint never suggests what was already done.
/// </summary>
/// <param name="Accuracy">The final model's accuracy on the training data; null for a regression target.</param>
/// <param name="Baseline">Always answering the majority class; null for a regression target.</param>
/// <param name="Init">The initialization scheme by its SPEC.md name (e.g. glorot-uniform, normal:0:10); null for weights from a file.</param>
public sealed record DiagnosisContext(double? Accuracy = null, MajorityBaseline? Baseline = null, string? Init = null)
{
    /// <summary>The final model's cost on the training data (no L2 penalty); read only beside <see cref="MeanBaseline"/>, as an mse.</summary>
    public double? Cost { get; init; }

    /// <summary>Always answering the training targets' mean; null but for a regression target measured by mse.</summary>
    public MeanBaseline? MeanBaseline { get; init; }
}

/// <summary>
/// What happened to a run, in one word and one sentence a learner understands. The sentence's advice names
/// settings (the learning rate, z-score normalization, an initializer): <see cref="Explanation"/> says them
/// in <see cref="Words"/>, the library's own unless re-worded by <see cref="In"/>, and <see cref="Say"/> in
/// any front end's words (the command line's flags, a page's fields), so each says the same advice its way.
/// </summary>
public sealed record Diagnosis
{
    /// <summary>The sentence, given the words for the settings it names; it holds only values measured when the diagnosis was made.</summary>
    private readonly Func<SettingWords, string> _text;

    private Diagnosis(string kind, Func<SettingWords, string> text, SettingWords? words = null)
    {
        Kind = kind;
        _text = text;
        Words = words ?? SettingWords.Library;
        Explanation = text(Words);
    }

    /// <summary>
    /// A diagnosis of <paramref name="kind"/> whose sentence is <paramref name="explanation"/> as given, in every
    /// front end's words alike. For fixtures that need a given text (quotes to escape, say); the library
    /// itself builds diagnoses only from measurements (<see cref="Of(TrainingDivergedException)"/> and the like).
    /// </summary>
    internal static Diagnosis Stated(string kind, string explanation) => new(kind, _ => explanation);

    /// <summary>One of <see cref="Healthy"/>, <see cref="Symmetric"/>, <see cref="DeadSaddle"/>, <see cref="Saturated"/>, <see cref="Diverged"/>, <see cref="Baseline"/>.</summary>
    public string Kind { get; }

    /// <summary>What happened and what to try, with the settings named in <see cref="Words"/>.</summary>
    public string Explanation { get; }

    /// <summary>The words <see cref="Explanation"/> names settings in: <see cref="SettingWords.Library"/> unless given to <see cref="In"/>.</summary>
    public SettingWords Words { get; }

    /// <summary>The explanation with the settings it names said in <paramref name="words"/>.</summary>
    public string Say(SettingWords words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return _text(words);
    }

    /// <summary>The same diagnosis whose <see cref="Explanation"/> names the settings in <paramref name="words"/>.</summary>
    public Diagnosis In(SettingWords words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return new(Kind, _text, words);
    }

    /// <summary>Equal when the kind and the explanation are.</summary>
    public bool Equals(Diagnosis? other) => other is not null && Kind == other.Kind && Explanation == other.Explanation;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Explanation);

    /// <summary>The units are distinct and nothing below went wrong.</summary>
    public const string Healthy = "healthy";

    /// <summary>A hidden layer still holds identical units.</summary>
    public const string Symmetric = "symmetric";

    /// <summary>No gradient ever reached the hidden layers.</summary>
    public const string DeadSaddle = "dead-saddle";

    /// <summary>Sigmoid or tanh units started pinned at their limits.</summary>
    public const string Saturated = "saturated";

    /// <summary>The cost ran away, or the numbers became infinite or NaN.</summary>
    public const string Diverged = "diverged";

    /// <summary>A classifier no more accurate than always answering the majority class, or a regression whose mse is no lower than always answering the targets' mean.</summary>
    public const string Baseline = "baseline";

    /// <summary>Inputs beyond this size (after the model's own normalization, if any) count as unnormalized in the hints.</summary>
    public const double LargeInput = 5;

    /// <summary>A starting bias of at least this size is named as a cause of saturation (tanh is within 1% of its limits past |z| = 2.65).</summary>
    private const double LargeBias = 2;

    /// <summary>
    /// Reads a finished run, in this order: sigmoid/tanh units started pinned at their limits on the
    /// training data (saturated; checked first because a slope of exactly 0 there also stops every hidden
    /// gradient); no gradient ever reached the hidden layers (dead-saddle); the cost ran away
    /// (diverged, still finite: an infinite one stops the trainer, see the other overload); a hidden layer
    /// still holds identical units (symmetric); a classifier no more accurate on its training data than
    /// always answering the majority class, or a regression whose mse there is no lower than always
    /// answering the targets' mean (baseline); otherwise healthy. A run of 0 epochs is read
    /// as its start: saturated, symmetric, baseline or healthy. When a classifier is at the baseline
    /// but diagnosed by an earlier cause, the explanation says so too. Of <paramref name="history"/> it reads
    /// only the first and last records and whether there are 0, 1 or more, so a front end that trains for as
    /// long as a learner lets it (the playground) may keep just those.
    /// </summary>
    public static Diagnosis Of<T>(Network<T> initial, Network<T> final, IReadOnlyList<EpochRecord> history, SymmetryRecorder<T> recorder, Dataset train, DiagnosisContext? context = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        context ??= new DiagnosisContext();
        string atBaseline = AtBaseline(context) is { } b ? $" {b}" : "";
        if (SaturatedAtStart(initial, train, context.Init) is { } saturated) return new Diagnosis(Saturated, w => saturated.Say(w) + atBaseline);

        int hidden = final.Layers.Count - 1;
        if (history.Count > 0 && hidden > 0 && !recorder.GradientSeen.Take(hidden).Any(seen => seen))
        {
            string learned = recorder.OutputWeightGradientSeen ? "only the output layer learned" : "only the output bias learned";
            var cause = SaddleCause(initial, train);
            return new Diagnosis(DeadSaddle, w => $"Every hidden weight's gradient was exactly zero at every step: {cause(w)}, so nothing in the hidden layers moved and {learned}.{atBaseline}");
        }

        if (history.Count > 0)
        {
            double start = history[0].Loss, end = history[^1].Loss;
            if (end > ExplodingFactor * start && end > 1)
                return new Diagnosis(Diverged, w =>
                    $"The cost grew from {start:G4} to {end:G4} instead of falling: the weights are running away (not yet to infinity), as they do when the learning rate is too large for this cost; try a smaller {w.LearningRate}.{atBaseline}");
        }

        for (int l = 0; l < hidden; l++)
        {
            var layer = final.Layers[l];
            var groups = UnitGroups.Find(final, l);
            if (layer.Units < 2 || groups.Distinct == layer.Units) continue;
            // What the sentence may say depends on what holds: identical units that also send the same weights
            // onward get identical gradients (the symmetry argument); with different outgoing weights they do
            // not, and units that never moved were not "moved together" by anything.
            var repeated = groups.Groups.Where(g => g.Length > 1).ToArray();
            bool tied = groups.Interchangeable.Count == groups.Distinct;
            var start = UnitGroups.Find(initial, l);
            bool startedTied = repeated.All(g => start.Interchangeable.Any(s => g.All(s.Contains)));
            bool startedSame = repeated.All(g => start.Groups.Any(s => g.All(s.Contains)));
            bool moved = repeated.SelectMany(g => g).Any(u => Moved(initial.Layers[l], layer, u - 1));
            string only = $"Layer {l + 1} has {layer.Units} units but only {groups.Distinct} different {(groups.Distinct == 1 ? "one" : "ones")}";
            string same = $"{UnitList(repeated)} have the same incoming weights and bias";
            string symmetric = (history.Count, tied, startedTied && moved) switch
            {
                (0, true, _) => $"{only}: units that are identical, with the same outgoing weights, get identical gradients at every step, so training would move them together",
                (0, false, _) => $"{only}: {UnitList(repeated.Where(g => !groups.Interchangeable.Any(s => g.All(s.Contains))).ToArray())} have the same incoming weights and bias but different outgoing weights, so backpropagation can give them different gradients",
                (_, true, true) when groups.Distinct == 1 => $"The {layer.Units} units of layer {l + 1} started identical, with the same outgoing weights, so they got identical gradients at every step: the weights moved, but together, and the layer is still one unit repeated {layer.Units} times",
                (_, true, true) => $"{only}: units that started identical, with the same outgoing weights, got identical gradients at every step and moved together",
                _ when !moved => $"{only}: {same} and never moved from where they started (every update to them was zero, or too small to change them)",
                _ => $"{only}: {same} at the end",
            };
            var remedy = Desymmetrize(context.Init);
            return new Diagnosis(Symmetric, w => $"{symmetric}{(startedSame ? $" (give the units different starting weights{remedy(w)})" : "")}.{atBaseline}");
        }

        if (atBaseline.Length > 0)
        {
            var hint = BaselineHint(final, train, history, context.Baseline is not null);
            return new Diagnosis(Baseline, w => $"{atBaseline[1..]} {hint(w)}");
        }

        if (history.Count == 0)
            return new Diagnosis(Healthy, _ => "Not trained (0 epochs): the units of every layer are distinct at the start, and nothing is saturated.");
        string split = string.Join("", recorder.BrokeAtStep.Select((s, l) => s is { } step ? $" Layer {l + 1}'s identical units split at step {step}." : ""));
        double first = history[0].Loss, last = history[^1].Loss;
        if (history.Count == 1)
            return new Diagnosis(Healthy, _ => $"The units of every layer are distinct; one epoch's mean batch cost, {first:G4}, cannot yet say whether the cost falls (train more epochs).{split}");
        return last < first
            ? new Diagnosis(Healthy, _ => $"The units of every layer are distinct and the cost fell from {first:G4} to {last:G4} (each epoch's mean batch cost).{split}")
            : new Diagnosis(Healthy, _ => $"The units of every layer are distinct, but the cost did not fall ({first:G4} to {last:G4}, each epoch's mean batch cost): try another learning rate.{split}");
    }

    /// <summary>Whether unit <paramref name="u"/>'s incoming weights or bias differ between the two layers.</summary>
    private static bool Moved<T>(DenseLayer<T> before, DenseLayer<T> after, int u) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (before.Biases[u] != after.Biases[u]) return true;
        for (int i = 0; i < before.Inputs; i++)
            if (before.Weight(u, i) != after.Weight(u, i)) return true;
        return false;
    }

    /// <summary>"units 1 and 2", "units 1, 2 and 5; units 3 and 4": each group of identical units (numbers from 1), at most 8 numbers a group.</summary>
    private static string UnitList(IReadOnlyList<int[]> groups) => string.Join("; ", groups.Select(g =>
    {
        var shown = g.Take(g.Length > 8 ? 6 : g.Length).Select(u => u.ToString(CultureInfo.InvariantCulture)).ToList();
        string last = g.Length > 8 ? $"{g.Length - 6} more" : shown[^1];
        if (g.Length <= 8) shown.RemoveAt(shown.Count - 1);
        return $"units {string.Join(", ", shown)} and {last}";
    }));

    /// <summary>
    /// The setting that gives units different starting weights, when the scheme that made them identical is
    /// known: a random one instead of zeros or a constant, the scheme itself instead of symmetric:SCHEME.
    /// Nothing for weights from a file, whose identical units no initializer chose.
    /// </summary>
    private static Func<SettingWords, string> Desymmetrize(string? init) => init switch
    {
        "zeros" => w => $": a random {w.Initializer}",
        _ when init?.StartsWith("constant:", StringComparison.Ordinal) == true => w => $": a random {w.Initializer}",
        _ when init?.StartsWith("symmetric:", StringComparison.Ordinal) == true => w => $": {w.SchemeNamed(init["symmetric:".Length..])} instead of {init}",
        _ => _ => "",
    };

    /// <summary>A cost that ends this many times above where it started is running away, even if still finite.</summary>
    public const double ExplodingFactor = 100;

    /// <summary>The run stopped because a number became NaN or infinite.</summary>
    public static Diagnosis Of(TrainingDivergedException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var (epoch, step, layer) = (e.Epoch, e.Step, e.Layer);
        return new(Diverged, w =>
            $"At epoch {epoch} (step {step}) the numbers in layer {layer} became infinite or NaN: the weights blew up, as they do when the learning rate is too large for this cost; try a smaller {w.LearningRate}.");
    }

    private static string P(double share) => share.ToString("P1", CultureInfo.InvariantCulture);

    /// <summary>The sentence for a classifier, or a regression, at or below its baseline; or null.</summary>
    private static string? AtBaseline(DiagnosisContext c)
    {
        if (c.Accuracy is { } accuracy && c.Baseline is { } b && !b.IsBeatenBy(accuracy))
            return $"Its accuracy on the training data, {P(accuracy)}, is no better than always answering class {b.Class}, which is right on {P(b.Train)} of the rows: as a classifier it has learned nothing the class counts did not already say.";
        if (c.Cost is { } cost && c.MeanBaseline is { } m && !m.IsBeatenBy(cost))
            return $"Its mse on the training data, {cost:G4}, is no lower than always answering the mean of the training targets, {m.Mean:G4}, whose mse is {m.Train:G4}: as a regression it has learned nothing a constant does not already give.";
        return null;
    }

    private static Func<SettingWords, string> BaselineHint<T>(Network<T> final, Dataset train, IReadOnlyList<EpochRecord> history, bool classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (LargestInput(final, train) is { } big) return w => $"The inputs are not normalized ({big}): {w.ZScore} puts every feature on the same scale.";
        if (history.Count == 0) return _ => "It has not been trained (0 epochs).";
        if (history.Count == 1) return _ => "It has trained one epoch, too few to say whether the cost falls: train more epochs.";
        string more = classes ? "to separate the classes" : "to follow the target";
        return history[^1].Loss < history[0].Loss
            ? w => $"The cost fell, so it may need more epochs, a larger {w.LearningRate}, or more hidden units {more}."
            : w => $"The cost did not fall: try another {w.LearningRate}.";
    }

    /// <summary>Why no gradient reached the hidden layers, as measured on the starting network.</summary>
    private static Func<SettingWords, string> SaddleCause<T>(Network<T> initial, Dataset train) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var profile = ActivationProfile.Of(initial, train);
        for (int l = 0; l < initial.Layers.Count - 1; l++)
        {
            var layer = initial.Layers[l];
            if (layer.Activation != Activation.Relu || profile.DeadUnits(l).Length != layer.Units) continue;
            string? big = LargestInput(initial, train);
            string dead = $"every relu unit of layer {l + 1} had z <= 0 on every training sample from the start (dead units output 0 and pass no gradient back)";
            return w => big is null ? dead : $"{dead}; the inputs are not normalized ({big}), so a unit whose weight on a large input is negative stays below 0 ({w.ZScore})";
        }
        if (initial.Layers.All(l => l.Weights.All(w => w == T.Zero)))
            return w => $"every weight started at zero, and with tanh, relu or linear hidden units, which output 0 at z = 0, the output layer sees only zeros and sends no error back to them (a saddle point; a random {w.Initializer} breaks it)";
        return _ => "the network started on a saddle point, where the error sent back to every hidden unit is exactly zero";
    }

    /// <summary>"temperature ranges from 151.5 to 284.99" when an input the network sees is beyond <see cref="LargeInput"/>; null otherwise.</summary>
    private static string? LargestInput<T>(Network<T> network, Dataset data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (network.Normalization is not null || data.Rows == 0) return null;
        int worst = -1;
        double largest = LargeInput;
        for (int i = 0; i < data.Features; i++)
            for (int r = 0; r < data.Rows; r++)
                if (Math.Abs(data.X[r * data.Features + i]) > largest) { largest = Math.Abs(data.X[r * data.Features + i]); worst = i; }
        if (worst < 0) return null;
        double min = double.MaxValue, max = double.MinValue;
        for (int r = 0; r < data.Rows; r++) { min = Math.Min(min, data.X[r * data.Features + worst]); max = Math.Max(max, data.X[r * data.Features + worst]); }
        return $"{data.FeatureNames[worst]} ranges from {min:G4} to {max:G4}";
    }

    /// <summary>Schemes that already scale the weights to the fan-in (SPEC.md); suggesting one of them when it was used would mislead.</summary>
    private static readonly string[] ScaledSchemes = ["glorot-uniform", "glorot-normal", "he-uniform", "he-normal", "lecun-normal", "orthogonal", "torch-default", "keras-default"];

    /// <summary>
    /// Saturated when, on the training data before the first step, a sigmoid or tanh output unit, or at
    /// least half of the sigmoid/tanh units of a hidden layer, sit beyond 99% of their range on at least
    /// 95% of the samples: there g'(z) is nearly 0, so the gradient through them vanishes (or, at a bce
    /// output, confident wrong answers make the cost explode). The hint names the measured cause:
    /// unnormalized inputs, or weights larger than a scaled initialization (<paramref name="init"/>,
    /// null for weights from a file) would draw.
    /// </summary>
    public static Diagnosis? SaturatedAtStart<T>(Network<T> initial, Dataset train, string? init = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var profile = ActivationProfile.Of(initial, train);
        for (int l = initial.Layers.Count - 1; l >= 0; l--)
        {
            var layer = initial.Layers[l];
            if (layer.Activation is not (Activation.Sigmoid or Activation.Tanh)) continue;
            var pinned = profile.SaturatedUnits(l);
            bool output = l == initial.Layers.Count - 1;
            if (pinned.Length == 0 || (!output && 2 * pinned.Length < layer.Units)) continue;
            string limits = layer.Activation == Activation.Sigmoid ? "0 or 1" : "-1 or 1";
            string which = output ? (layer.Units == 1 ? "The output unit" : $"{pinned.Length} of the {layer.Units} output units") : $"{pinned.Length} of the {layer.Units} {layer.Activation.Name()} units of layer {l + 1}";
            string consequence = output
                ? "so it gives confident answers before learning anything: the wrong ones make the cost huge, and learning must first bring z back towards 0"
                : "where the slope g'(z) is nearly 0, so almost no gradient flows through them";
            string pinnedAt = $"{which} started pinned at {limits} on at least {ActivationProfile.SaturatedShare * 100:0}% of the training samples because z = W a + b was too large, {consequence}.";
            var cause = SaturationCause(initial, train, init);
            return new Diagnosis(Saturated, w => $"{pinnedAt} {cause(w)}");
        }
        return null;
    }

    private static Func<SettingWords, string> SaturationCause<T>(Network<T> initial, Dataset train, string? init) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string? big = LargestInput(initial, train);
        string scheme = init is null ? "" : init.StartsWith("symmetric:", StringComparison.Ordinal) ? init["symmetric:".Length..] : init;
        bool scaled = ScaledSchemes.Contains(scheme);
        double largest = scaled ? 0 : initial.Layers.Max(layer => layer.Weights.Select(w => Math.Abs(double.CreateChecked(w))).DefaultIfEmpty(0).Max());
        double largestBias = initial.Layers.Max(layer => layer.Biases.Select(b => Math.Abs(double.CreateChecked(b))).DefaultIfEmpty(0).Max());
        return w =>
        {
            var causes = new List<string>();
            if (big is not null) causes.Add($"the inputs are not normalized ({big}): use {w.ZScore}");
            // A bias this large moves z past where tanh and sigmoid bend whatever the weights do.
            if (largestBias >= LargeBias) causes.Add($"the biases reach {largestBias:G3}: biases that start at 0 (the default) add nothing to z");
            if (!scaled)
            {
                string from = init is null ? "the model file's weights" : $"{w.SchemeNamed(init)}'s weights";
                causes.Add($"{from} reach {largest:G3}: a scheme scaled to each layer's inputs, such as {w.SchemeNamed("glorot-uniform")} (sigmoid, tanh) or he-normal (relu), starts them small enough");
            }
            if (causes.Count == 0)
                return initial.Normalization is null
                    ? $"The inputs are small and {w.SchemeNamed(init!)} is already scaled to each layer's inputs, so z is large because many inputs of one sign add up: {w.ZScore} centres every input at 0."
                    : $"The inputs are normalized and {w.SchemeNamed(init!)} is already scaled to each layer's inputs, so z is large because many inputs of one sign add up in this layer.";
            string text = string.Join("; and ", causes);
            return char.ToUpperInvariant(text[0]) + text[1..] + ".";
        };
    }
}
