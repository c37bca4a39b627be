using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;
using SymmetryLab.Runs;
using SymmetryLab.Serialization;
using SymmetryLab.Web.Api;
using SymmetryLab.Web.State;

namespace SymmetryLab.Web.Sessions;

/// <summary>
/// A session's run in precision <typeparamref name="T"/>: prepared by <see cref="TrainingRun.Prepare{T}"/>
/// exactly as <c>symlab train</c> prepares it, then given the hand-set weights, and trained one
/// <see cref="Trainer{T}.TrainStep"/> at a time with the same <see cref="SymmetryRecorder{T}"/> the run folder's
/// symmetry.json comes from (its record after each step; see <see cref="StepsOnly{T}"/>).
/// </summary>
internal sealed class SessionRun<T> : ISessionRun where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> _start, _recorderStart;
    private Network<T> _live = null!;
    private Trainer<T> _trainer = null!;
    private SymmetryRecorder<T> _recorder = null!;
    private StepsOnly<T> _observer = null!;
    private EpochRecord? _firstEpoch, _lastEpoch;

    public SessionRun(ResolvedState resolved)
    {
        Resolved = resolved;
        Prepared = TrainingRun.Prepare<T>(resolved.Settings, (resolved.Train, resolved.Test));
        HandSetWeights.Apply(Prepared.Network, resolved.State);
        _start = Prepared.Network.Clone();
        // As train's symmetry record: from initial.json, the start after any perturbation; weights set by
        // hand are part of the start (train --model initial.json starts its record there too).
        _recorderStart = resolved.State.HasHandSetWeights ? _start : Prepared.Initialized;
        int batch = Math.Min(Prepared.Options.BatchSize ?? Prepared.Train.Rows, Prepared.Train.Rows);
        StepsPerEpoch = (Prepared.Train.Rows + batch - 1) / batch;
        Reset(0);
    }

    public PreparedRun<T> Prepared { get; }
    public ResolvedState Resolved { get; }
    public int Generation { get; set; }
    public int StepsPerEpoch { get; }
    public long Step => _trainer.Step;
    public string? Stopped { get; private set; }
    public Network<T> Start => _start;
    public SymmetryRecorder<T> Recorder => _recorder;
    public Network<T> Live => _live;
    /// <summary>The first and last whole epochs' records (all a diagnosis reads of the history; a run that plays for ever keeps no more).</summary>
    public IReadOnlyList<EpochRecord> Epochs => _firstEpoch is null ? [] : ReferenceEquals(_firstEpoch, _lastEpoch) ? [_firstEpoch] : [_firstEpoch, _lastEpoch!];
    /// <summary>Where the run diverged, or null.</summary>
    public TrainingDivergedException? Divergence { get; private set; }

    public void Reset(int generation)
    {
        Generation = generation;
        _live = _start.Clone();
        _trainer = new Trainer<T>(_live, Prepared.Train, Prepared.Options);
        _recorder = new SymmetryRecorder<T>(_recorderStart);
        _observer = new StepsOnly<T>(_recorder);
        _firstEpoch = _lastEpoch = null;
        Stopped = null;
        Divergence = null;
    }

    public bool TrainStep()
    {
        if (Stopped is not null) return false;
        try
        {
            if (_trainer.TrainStep(_observer).EpochEnded is { } e) (_firstEpoch, _lastEpoch) = (_firstEpoch ?? e, e);
            return true;
        }
        catch (TrainingDivergedException e)
        {
            // The library's words are the page's: its field is labelled "learning rate" (not --lr, which the page has not).
            Stopped = e.Message;
            Divergence = e;
            return false;
        }
    }

    public object Snapshot(bool running) =>
        RunSnapshot<T>.Take(_live, Generation, _trainer.Step, (int)(_trainer.Step / StepsPerEpoch), _trainer.Step % StepsPerEpoch, _recorder, running, _lastEpoch, Stopped);

    public string ModelJson() => ModelFile.Write(_live, Prepared.Train.TargetName);

    public string InitialJson() => ModelFile.Write(_start, Prepared.Train.TargetName);

    public ExplainAnswer Explain(string weight, string? vs, int? sample)
    {
        var network = _live.Convert<double>();
        var first = HandSetWeights.Parameter(weight, "weight", network);
        ParameterRef? second = vs is null ? null : HandSetWeights.Parameter(vs, "vs", network);
        var data = Prepared.Train;
        if (sample is { } k && (k < 1 || k > data.Rows)) throw new FieldException("sample", $"--sample {k}: the training data has samples 1 to {data.Rows}");
        var a = ChainRule.Explain(network, data, Prepared.Loss, first, sample - 1, Prepared.Options.L2);
        var b = second is { } s ? ChainRule.Explain(network, data, Prepared.Loss, s, sample - 1, Prepared.Options.L2) : null;
        return ExplainAnswer.Of(a, b) with { Loss = Prepared.Loss.Name(), Step = _trainer.Step, Precision = ModelFile.PrecisionName<T>() };
    }

    public string RunInfo(string command)
    {
        var train = Prepared.Train;
        return JsonSerializer.Serialize(new RunEvent(Generation, Resolved.State, train.Name, train.Rows, Prepared.Test?.Rows ?? 0,
            train.Kind switch { TargetKind.Binary => "binary", TargetKind.Classes => "classes", _ => "numbers" }, train.ClassCount, train.FeatureNames,
            _start.Shape, _start.ParameterCount, Prepared.Loss.Name(), Prepared.Options.Optimizer.Name, Prepared.Options.EffectiveLearningRate,
            Math.Min(Prepared.Options.BatchSize ?? train.Rows, train.Rows), StepsPerEpoch, ModelFile.PrecisionName<T>(), _start.Normalization is null ? "none" : "zscore",
            Resolved.Settings.Perturb?.ToString(), [.. _start.Layers.Select(l => l.Activation.Name())],
            Baseline(train, train), Prepared.Test is { } test ? Baseline(test, train) : null,
            MeanBaseline.Of(train, Prepared.Test, Prepared.Loss) is { } mean ? new MeanBaselineAnswer(mean.Mean, mean.Train, mean.Test) : null, command, DataView.Points(Resolved), DataView.Images(train)),
            PlaygroundJsonContext.Default.RunEvent);
    }

    /// <summary>
    /// The accuracy of always answering the training set's majority class, on <paramref name="data"/>: the
    /// figure an accuracy must beat to mean anything (null for a regression target).
    /// </summary>
    private static BaselineAnswer? Baseline(Dataset data, Dataset train)
    {
        if (train.Kind == TargetKind.Continuous || data.Rows == 0) return null;
        var counts = train.ClassCounts();
        int majority = Array.IndexOf(counts, counts.Max());
        int hits = data.Y.Count(y => y == majority);
        return new BaselineAnswer(majority, (double)hits / data.Rows);
    }

    public IFrameBuilder CreateFrameBuilder(PlaygroundLimits limits) => new FrameBuilder<T>(this, limits);

    public DiagnosisAnswer Diagnose() => DiagnosisAnswer.Of(this);
}
