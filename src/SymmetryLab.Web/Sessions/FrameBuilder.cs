using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Lab;
using SymmetryLab.Web.Api;

namespace SymmetryLab.Web.Sessions;

/// <summary>
/// Builds the "frame" event from a snapshot, on a copy of the network (the trainer's own is never touched):
/// every parameter and the last step's gradients, the groups of identical units of each layer, for a
/// two-feature set every unit's output over the plane (heat maps of <see cref="Grid"/> x <see cref="Grid"/>
/// cells, fewer for large networks) and the output's decision map, and the loss and accuracy of the current weights on all training
/// and test rows. Measuring is paced to at most a tenth of the wall time, so large data slows the plots,
/// never the training.
/// </summary>
internal sealed class FrameBuilder<T> : IFrameBuilder where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Cells per side of a heat map: 40, fewer for many units (every unit's map goes into every frame).</summary>
    public int Grid { get; }

    /// <summary>Layers with more weights than this are sent without them (the page says so).</summary>
    public const int MaxStreamedWeights = 40_000;

    private readonly SessionRun<T> _run;
    private readonly Network<T> _view;
    private readonly T[]? _grid;
    private readonly byte[]? _inputMaps;
    private readonly Evaluator<T> _trainEval;
    private readonly Evaluator<T>? _testEval;
    private readonly List<double?[]> _history = [];
    private readonly double _valueMin, _valueMax;
    private long _lastMeasured = long.MinValue, _measureCost, _lastMeasuredStep = -1;

    public FrameBuilder(SessionRun<T> run, PlaygroundLimits limits)
    {
        _run = run;
        _view = run.Start.Clone();
        int units = _view.Layers.Sum(l => l.Units);
        Grid = units <= 64 ? 40 : units <= 256 ? 24 : 16;
        var train = run.Prepared.Train;
        _trainEval = new Evaluator<T>(_view, train, run.Prepared.Loss);
        _testEval = run.Prepared.Test is { } test ? new Evaluator<T>(_view, test, run.Prepared.Loss) : null;
        var y = train.Y;
        (_valueMin, _valueMax) = (y.Min(), y.Max());
        if (!(_valueMax > _valueMin)) (_valueMin, _valueMax) = (_valueMin - 1, _valueMin + 1);
        if (run.Resolved.IsPlanar)
        {
            var (a, b, c, d) = DataView.Domain(run.Resolved);
            var x = new double[Grid * Grid * 2];
            // Row 0 of the map is the top of the plane (largest x2), as the page draws it.
            for (int r = 0; r < Grid; r++)
                for (int col = 0; col < Grid; col++)
                {
                    int i = r * Grid + col;
                    x[2 * i] = a + (b - a) * (col + 0.5) / Grid;
                    x[2 * i + 1] = d - (d - c) * (r + 0.5) / Grid;
                }
            var plane = new Dataset("plane", x, new double[Grid * Grid], 2, run.Resolved.RawTrain.FeatureNames);
            if (run.Resolved.State.Features is { } features) plane = DerivedFeatures.Apply(plane, features);
            _grid = Trainer<T>.ToInputs(_view, plane);
            _inputMaps = new byte[plane.Features * Grid * Grid];
            for (int f = 0; f < plane.Features; f++)
            {
                double scale = 0;
                for (int i = 0; i < Grid * Grid; i++) scale = Math.Max(scale, Math.Abs(plane.X[i * plane.Features + f]));
                for (int i = 0; i < Grid * Grid; i++) _inputMaps[f * Grid * Grid + i] = Signed(scale > 0 ? plane.X[i * plane.Features + f] / scale : 0);
            }
        }
    }

    /// <summary>Measured points kept at most.</summary>
    public const int MaxHistory = 20_000;

    /// <summary>Changes when the history is thinned (a reader then starts again from its first point).</summary>
    public int HistoryVersion { get; private set; }

    public IReadOnlyList<double?[]> History
    {
        get { lock (_history) return [.. _history]; }
    }

    private static readonly JsonTypeInfo<FrameEvent<T>> Info = (JsonTypeInfo<FrameEvent<T>>)PlaygroundJsonContext.Default.GetTypeInfo(typeof(FrameEvent<T>))!;

    public string Build(object snapshot)
    {
        var s = (RunSnapshot<T>)snapshot;
        s.CopyTo(_view);
        var groups = UnitGroups.FindAll(_view);
        byte[][]? maps = _grid is null ? null : Maps();
        byte[]? output = _grid is null ? null : OutputMap();
        var metrics = Measure(s);
        var layers = new LayerFrame<T>[_view.Layers.Count];
        for (int l = 0; l < layers.Length; l++)
        {
            var layer = _view.Layers[l];
            // The snapshot's own copies go into the frame (no other copy per frame); large layers without their weights.
            bool streamed = layer.Weights.Length <= MaxStreamedWeights;
            layers[l] = new LayerFrame<T>(l + 1, layer.Units, layer.Inputs, layer.Activation.Name(), streamed ? s.Weights[l] : null, streamed ? s.WeightGradients[l] : null,
                s.Biases[l], s.BiasGradients[l], groups[l].Distinct, groups[l].Groups, groups[l].Interchangeable, s.BrokeAtStep[l], maps?[l]);
        }
        string kind = OutputKind;
        return JsonSerializer.Serialize(new FrameEvent<T>(s.Generation, s.Step, s.Epoch, s.EpochStep, _run.StepsPerEpoch, s.Running, s.Stopped, Grid, layers, _inputMaps,
            output is null ? null : new OutputFrame(kind, kind == "value" ? _valueMin : null, kind == "value" ? _valueMax : null, output),
            s.DistinctAtStart, [.. s.Changes.Select(c => new long[] { c.Step, c.Layer, c.Distinct })],
            metrics is null ? null : new MetricsFrame((long)metrics[0]!.Value, metrics[1], metrics[2], metrics[3], metrics[4]),
            s.LastEpoch is { } e ? new EpochFrame(e.Epoch, e.Loss, e.Accuracy) : null), Info);
    }

    /// <summary>"probability" (one sigmoid output: P(class 1)), "classes" (softmax: the winning class and its probability) or "value" (the first output).</summary>
    private string OutputKind => _view.Output.Activation == Activation.Softmax ? "classes"
        : _view.Outputs == 1 && _view.Output.Activation == Activation.Sigmoid ? "probability" : "value";

    /// <summary>Every unit's output over the plane, one byte per cell: -1 (0) to +1 (255), clipped.</summary>
    private byte[][] Maps()
    {
        _view.Forward(_grid!, Grid * Grid);
        var maps = new byte[_view.Layers.Count][];
        for (int l = 0; l < _view.Layers.Count; l++)
        {
            var layer = _view.Layers[l];
            var bytes = new byte[layer.Units * Grid * Grid];
            for (int i = 0; i < Grid * Grid; i++)
                for (int j = 0; j < layer.Units; j++)
                    bytes[j * Grid * Grid + i] = Signed(double.CreateChecked(layer.A[i * layer.Units + j]));
            maps[l] = bytes;
        }
        return maps;
    }

    /// <summary>The output over the plane (from the forward pass <see cref="Maps"/> just made).</summary>
    private byte[] OutputMap()
    {
        var output = _view.Output;
        int k = output.Units;
        string kind = OutputKind;
        var bytes = new byte[(kind == "classes" ? 2 : 1) * Grid * Grid];
        for (int i = 0; i < Grid * Grid; i++)
        {
            var row = output.A.AsSpan(i * k, k);
            if (kind == "classes")
            {
                int best = Metrics.ArgMax<T>(row);
                bytes[2 * i] = (byte)best;
                bytes[2 * i + 1] = Unit(double.CreateChecked(row[best]));
            }
            else if (kind == "probability") bytes[i] = Unit(double.CreateChecked(row[0]));
            else bytes[i] = Unit((double.CreateChecked(row[0]) - _valueMin) / (_valueMax - _valueMin));
        }
        return bytes;
    }

    /// <summary>Loss and accuracy of the current weights on all rows, when it is time to measure again (else null).</summary>
    private double?[]? Measure(RunSnapshot<T> s)
    {
        long now = Stopwatch.GetTimestamp();
        if (s.Step == _lastMeasuredStep) return null;
        if (s.Running && now - _lastMeasured < 10 * _measureCost) return null;
        var (loss, accuracy) = _trainEval.Evaluate();
        (double Loss, double? Accuracy)? test = _testEval?.Evaluate();
        _measureCost = Stopwatch.GetTimestamp() - now;
        _lastMeasured = now;
        _lastMeasuredStep = s.Step;
        double?[] point = [s.Step, loss, accuracy, test?.Loss, test?.Accuracy];
        lock (_history)
        {
            // A long run keeps every other point once it has MaxHistory: bounded memory, the whole run still drawn.
            if (_history.Count >= MaxHistory)
            {
                for (int i = 0; i < _history.Count / 2; i++) _history[i] = _history[2 * i + 1];
                _history.RemoveRange(_history.Count / 2, _history.Count - _history.Count / 2);
                HistoryVersion++;
            }
            _history.Add(point);
        }
        return point;
    }

    private static byte Signed(double v) => (byte)Math.Round((Math.Clamp(double.IsNaN(v) ? 0 : v, -1, 1) + 1) * 127.5);

    private static byte Unit(double v) => (byte)Math.Round(Math.Clamp(double.IsNaN(v) ? 0 : v, 0, 1) * 255);
}
