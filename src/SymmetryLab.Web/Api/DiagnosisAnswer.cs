using SymmetryLab.Engine;
using SymmetryLab.Lab;
using SymmetryLab.Web.Sessions;
using SymmetryLab.Web.State;

namespace SymmetryLab.Web.Api;

/// <summary>
/// <c>GET /api/sessions/ID/diagnosis</c>: what happened to the run so far, in the words <c>symlab train</c>
/// ends with (<see cref="Diagnosis"/>: a kind and a sentence), read from the same things train reads (the
/// starting and current weights, the whole epochs' mean batch costs, the symmetry recorder, the training
/// accuracy beside the majority-class baseline, a regression's mse beside the targets' mean's) but with the settings named as the page labels them.
/// </summary>
/// <param name="Session">The session.</param>
/// <param name="Generation">The run it diagnoses (a new state or a reset starts another).</param>
/// <param name="Step">The step the weights it reads are at.</param>
/// <param name="Epochs">Whole epochs trained, whose costs it compares.</param>
/// <param name="Kind">healthy, symmetric, dead-saddle, saturated, diverged or baseline; null before the first epoch ends (after step 0).</param>
/// <param name="Explanation">What happened and what to try; or, without a kind, when there will be a diagnosis.</param>
internal sealed record DiagnosisAnswer(string Session, int Generation, long Step, int Epochs, string? Kind, string Explanation)
{
    /// <summary>The diagnosis of <paramref name="run"/> on its current weights (on the session's trainer thread).</summary>
    public static DiagnosisAnswer Of<T>(SessionRun<T> run) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var epochs = run.Epochs;
        int whole = epochs.Count == 0 ? 0 : epochs[^1].Epoch;
        if (run.Divergence is { } diverged)
            return Reply(Diagnosis.Of(diverged));
        if (whole == 0 && run.Step > 0)
            return new DiagnosisAnswer("", run.Generation, run.Step, 0, null,
                $"Step {run.Step} is inside epoch 1: the diagnosis compares whole epochs' mean costs, as symlab train's does, so it comes when the first epoch ends (Epoch finishes it).");
        var train = run.Prepared.Train;
        var (cost, accuracy) = new Evaluator<T>(run.Live, train, run.Prepared.Loss).Evaluate();
        // As train from the same command: weights set by hand come from initial.json, whose scheme it does not know.
        string? init = run.Resolved.State.HasHandSetWeights ? null : run.Resolved.Settings.Init.WeightName;
        var context = new DiagnosisContext(accuracy, MajorityBaseline.Of(train, run.Prepared.Test), init) { Cost = cost, MeanBaseline = MeanBaseline.Of(train, run.Prepared.Test, run.Prepared.Loss) };
        return Reply(Diagnosis.Of(run.Start, run.Live, epochs, run.Recorder, train, context));

        DiagnosisAnswer Reply(Diagnosis d) => new("", run.Generation, run.Step, whole, d.Kind, d.Say(PageWords.Settings));
    }
}
