using SymmetryLab.Web.Api;
using SymmetryLab.Web.State;

namespace SymmetryLab.Web.Sessions;

/// <summary>
/// One run of a session in its precision, seen from the session: everything but the frame builder it creates,
/// which the frame pump calls, runs on the session's trainer thread.
/// </summary>
internal interface ISessionRun
{
    /// <summary>Numbers the session's runs (and resets) in the order they start; set when the run becomes the session's.</summary>
    int Generation { get; set; }
    ResolvedState Resolved { get; }
    int StepsPerEpoch { get; }
    long Step { get; }
    /// <summary>Why training cannot go on (it diverged), or null.</summary>
    string? Stopped { get; }

    /// <summary>One training step; false if it diverged (then <see cref="Stopped"/> says where).</summary>
    bool TrainStep();

    /// <summary>
    /// Back to the start: the same initial weights, a fresh optimizer and shuffle stream, step 0; the run
    /// takes <paramref name="generation"/> (its history starts again).
    /// </summary>
    void Reset(int generation);

    /// <summary>Copies the current state for the frame pump.</summary>
    object Snapshot(bool running);

    /// <summary>model.json of the current weights (SPEC.md model file).</summary>
    string ModelJson();

    /// <summary>model.json of the start (after initialization, perturbation and hand-set weights).</summary>
    string InitialJson();

    /// <summary>The chain rule behind two gradients on the current weights (<c>symlab explain --vs</c>).</summary>
    Lab.ExplainAnswer Explain(string weight, string? vs, int? sample);

    /// <summary>The "run" event's JSON: what stays fixed for this generation (data points, features, baselines).</summary>
    string RunInfo(string command);

    /// <summary>The run's diagnosis on its current weights, as <c>symlab train</c> would give it, in the page's words.</summary>
    DiagnosisAnswer Diagnose();

    /// <summary>A frame pump for this run (used by one thread at a time).</summary>
    IFrameBuilder CreateFrameBuilder(PlaygroundLimits limits);
}

/// <summary>Turns snapshots into the "frame" event and keeps the run's metric history.</summary>
internal interface IFrameBuilder
{
    /// <summary>The frame's JSON for a snapshot of this run.</summary>
    string Build(object snapshot);

    /// <summary>History points measured so far: [step, loss, accuracy, test loss, test accuracy] (null where not measured).</summary>
    IReadOnlyList<double?[]> History { get; }

    /// <summary>Changes when the history is thinned to keep its size bounded (readers start again from 0).</summary>
    int HistoryVersion { get; }
}
