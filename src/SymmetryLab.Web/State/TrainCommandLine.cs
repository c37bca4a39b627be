using System.Globalization;
using System.Text.RegularExpressions;

namespace SymmetryLab.Web.State;

/// <summary>
/// The <c>symlab train</c> line that reproduces a playground run from the terminal, without <c>--epochs</c>
/// (the page adds the epochs it has trained). It starts from <c>--model initial.json</c> (the page's
/// download) when the start cannot be said with flags: weights edited or tied by hand, or hidden layers
/// with different activations. Data that only the page has (derived features, an uploaded file) is named
/// by the CSV files the page offers for download.
/// </summary>
internal static partial class TrainCommandLine
{
    public const string TrainCsv = "playground-train.csv", TestCsv = "playground-test.csv";

    /// <summary>Whether the run's data must come from the page's CSV downloads.</summary>
    public static bool NeedsDataFiles(ResolvedState r) => r.State.Features is not null || r.State.Data == "upload";

    /// <summary>Whether the start must come from initial.json.</summary>
    public static bool NeedsModel(ResolvedState r) => r.State.HasHandSetWeights || r.State.Activations.Distinct().Count() > 1;

    public static string For(ResolvedState r)
    {
        var s = r.State;
        var args = new List<string> { "symlab", "train" };
        void Add(string flag, string value) { args.Add(flag); args.Add(Quote(value)); }
        if (NeedsDataFiles(r))
        {
            Add("--data", TrainCsv);
            if (r.Test is not null) Add("--test", TestCsv);
        }
        else
        {
            Add("--data", s.Data);
            if (s.Test is { } t) Add("--test", N(t));
        }
        if (NeedsModel(r)) Add("--model", "initial.json");
        else
        {
            Add("--layers", string.Join(",", r.Settings.Layers!));
            if (s.Activations.Length > 0) Add("--activation", s.Activations[0]);
            if (s.OutputActivation is { } oa) Add("--output-activation", oa);
            if (s.Init != "glorot-uniform") Add("--init", s.Init);
            if (s.BiasInit != "zeros") Add("--bias-init", s.BiasInit);
            if (s.Perturb is { } p) Add("--perturb", p);
        }
        if (s.Loss is { } loss) Add("--loss", loss);
        Add("--optimizer", s.Optimizer);
        if (s.Lr is { } lr) Add("--lr", N(lr));
        if (s.Batch is { } b) Add("--batch", b);
        if (s.L2 != 0) Add("--l2", N(s.L2));
        if (s.Dropout != 0) Add("--dropout", N(s.Dropout));
        if (s.Normalize != "none") Add("--normalize", s.Normalize);
        Add("--precision", s.Precision);
        Add("--seed", s.Seed.ToString(CultureInfo.InvariantCulture));
        return string.Join(" ", args);
    }

    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[A-Za-z0-9_.,:=/+\-]+$")]
    private static partial Regex Plain();

    /// <summary>Single quotes for anything a shell would read differently.</summary>
    private static string Quote(string value) => Plain().IsMatch(value) ? value : $"'{value.Replace("'", "'\\''")}'";
}
