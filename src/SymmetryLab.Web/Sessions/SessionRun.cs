using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;
using SymmetryLab.Runs;
using SymmetryLab.Serialization;
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

    public byte[] Explain(string weight, string? vs, int? sample)
    {
        var network = _live.Convert<double>();
        var first = HandSetWeights.Parameter(weight, "weight", network);
        ParameterRef? second = vs is null ? null : HandSetWeights.Parameter(vs, "vs", network);
        var data = Prepared.Train;
        if (sample is { } k && (k < 1 || k > data.Rows)) throw new FieldException("sample", $"--sample {k}: the training data has samples 1 to {data.Rows}");
        var a = ChainRule.Explain(network, data, Prepared.Loss, first, sample - 1, Prepared.Options.L2);
        var b = second is { } s ? ChainRule.Explain(network, data, Prepared.Loss, s, sample - 1, Prepared.Options.L2) : null;
        var differs = ChainRule.Differences(a, b);
        return Json.Bytes(w =>
        {
            w.WriteStartObject();
            w.WriteString("loss", Prepared.Loss.Name());
            w.WriteNumber("step", _trainer.Step);
            w.WriteString("precision", ModelFile.PrecisionName<T>());
            WriteExplanation(w, a, b is null ? null : differs);
            if (b is not null)
            {
                w.WriteStartObject("vs");
                WriteExplanation(w, b, differs);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    }

    /// <summary>The fields of <c>symlab explain --json</c>.</summary>
    private static void WriteExplanation(Utf8JsonWriter w, ChainExplanation e, bool?[]? differs)
    {
        w.WriteString("weight", e.Weight.ToString());
        Json.Number(w, "gradient", e.Gradient);
        Json.Number(w, "numeric", e.Numeric);
        Json.Number(w, "product", e.Product);
        w.WriteNumber("l2Term", e.L2Term);
        w.WriteString("combine", e.Paths is null ? "product" : "sum over paths");
        if (e.Sample is { } s) w.WriteNumber("sample", s); else w.WriteNull("sample");
        w.WriteNumber("samples", e.Samples);
        WriteFactors(w, e.Factors, differs);
        if (e.Paths is not null)
        {
            w.WriteStartArray("paths");
            foreach (var p in e.Paths)
            {
                w.WriteStartObject();
                w.WriteString("via", p.Via);
                WriteFactors(w, p.Factors, null);
                Json.Number(w, "product", p.Product);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteStartArray("notes");
        foreach (var n in e.Notes) w.WriteStringValue(n);
        w.WriteEndArray();
    }

    private static void WriteFactors(Utf8JsonWriter w, IReadOnlyList<Factor> factors, bool?[]? differs)
    {
        w.WriteStartArray("factors");
        for (int i = 0; i < factors.Count; i++)
        {
            w.WriteStartObject();
            w.WriteString("name", factors[i].Name);
            w.WriteString("role", factors[i].Role);
            Json.Number(w, "value", factors[i].Value);
            // differs is per factor of the first weight; a second weight of another layer has other factors, none compared.
            if (differs is not null && i < differs.Length && differs[i] is { } d) w.WriteBoolean("differs", d);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public byte[] RunInfo(string command) => Json.Bytes(w =>
    {
        var r = Resolved;
        var train = Prepared.Train;
        w.WriteStartObject();
        w.WriteNumber("generation", Generation);
        w.WritePropertyName("state");
        r.State.Write(w);
        w.WriteString("data", train.Name);
        w.WriteNumber("rows", train.Rows);
        w.WriteNumber("testRows", Prepared.Test?.Rows ?? 0);
        w.WriteString("target", train.Kind switch { TargetKind.Binary => "binary", TargetKind.Classes => "classes", _ => "numbers" });
        w.WriteNumber("classes", train.ClassCount);
        w.WriteStartArray("inputs");
        foreach (var f in train.FeatureNames) w.WriteStringValue(f);
        w.WriteEndArray();
        w.WriteString("shape", _start.Shape);
        w.WriteNumber("parameters", _start.ParameterCount);
        w.WriteString("loss", Prepared.Loss.Name());
        w.WriteString("optimizer", Prepared.Options.Optimizer.Name);
        w.WriteNumber("learningRate", Prepared.Options.EffectiveLearningRate);
        w.WriteNumber("batch", Math.Min(Prepared.Options.BatchSize ?? train.Rows, train.Rows));
        w.WriteNumber("stepsPerEpoch", StepsPerEpoch);
        w.WriteString("precision", ModelFile.PrecisionName<T>());
        w.WriteString("normalization", _start.Normalization is null ? "none" : "zscore");
        w.WriteString("perturbation", Resolved.Settings.Perturb?.ToString());
        w.WriteStartArray("activations");
        foreach (var l in _start.Layers) w.WriteStringValue(l.Activation.Name());
        w.WriteEndArray();
        WriteBaseline(w, "baseline", train, train);
        if (Prepared.Test is { } test) WriteBaseline(w, "testBaseline", test, train); else w.WriteNull("testBaseline");
        w.WriteString("command", command);
        w.WritePropertyName("points");
        DataView.WritePoints(w, r);
        w.WritePropertyName("images");
        DataView.WriteImages(w, train);
        w.WriteEndObject();
    });

    /// <summary>
    /// The accuracy of always answering the training set's majority class, on <paramref name="data"/>: the
    /// figure an accuracy must beat to mean anything (null for a regression target).
    /// </summary>
    private static void WriteBaseline(Utf8JsonWriter w, string name, Dataset data, Dataset train)
    {
        if (train.Kind == TargetKind.Continuous || data.Rows == 0) { w.WriteNull(name); return; }
        var counts = train.ClassCounts();
        int majority = Array.IndexOf(counts, counts.Max());
        int hits = data.Y.Count(y => y == majority);
        w.WriteStartObject(name);
        w.WriteNumber("class", majority);
        w.WriteNumber("accuracy", (double)hits / data.Rows);
        w.WriteEndObject();
    }

    public IFrameBuilder CreateFrameBuilder(PlaygroundLimits limits) => new FrameBuilder<T>(this, limits);

    public PageDiagnosis Diagnose() => PageDiagnosis.Of(this);
}
