using SymmetryLab.Data;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine;

/// <summary>Cost and accuracy of a network on a whole dataset, forward only, in chunks.</summary>
public sealed class Evaluator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal const int Chunk = 1024;
    private readonly Network<T> _network;
    private readonly Dataset _data;
    private readonly Loss _loss;
    private readonly WorkerPool _pool;
    private readonly T[] _x, _t, _xb, _tb;

    /// <summary>
    /// An evaluator of <paramref name="network"/> on <paramref name="data"/> (normalized as the network says),
    /// with <paramref name="threads"/> threads for its products.
    /// </summary>
    /// <exception cref="DataException">The data has a different number of features than the network has inputs.</exception>
    public Evaluator(Network<T> network, Dataset data, Loss loss, int threads = 1)
        : this(network, data, loss, WorkerPool.ForThreads(Math.Max(1, threads)))
    {
    }

    internal Evaluator(Network<T> network, Dataset data, Loss loss, WorkerPool pool)
    {
        if (data.Features != network.Inputs)
            throw new DataException($"{data.Name} has {data.Features} features but the network takes {network.Inputs} inputs");
        _network = network;
        _data = data;
        _loss = loss;
        _pool = pool;
        _x = Trainer<T>.ToInputs(network, data);
        var targets = data.TargetMatrix(network.Outputs);
        _t = new T[targets.Length];
        for (int i = 0; i < targets.Length; i++) _t[i] = T.CreateChecked(targets[i]);
        int chunk = Math.Min(Chunk, data.Rows);
        _xb = new T[chunk * network.Inputs];
        _tb = new T[chunk * network.Outputs];
    }

    /// <summary>Mean cost (without L2) and accuracy (null for a regression target).</summary>
    public (double Loss, double? Accuracy) Evaluate(double[]? outputs = null)
    {
        int rows = _data.Rows, inputs = _network.Inputs, width = _network.Outputs;
        int chunk = Math.Min(Chunk, rows);
        double total = 0;
        long correct = 0;
        for (int start = 0; start < rows; start += chunk)
        {
            int count = Math.Min(chunk, rows - start);
            _x.AsSpan(start * inputs, count * inputs).CopyTo(_xb);
            _t.AsSpan(start * width, count * width).CopyTo(_tb);
            _network.Forward(_xb, count, _pool);
            var output = _network.Output;
            total += LossFunctions.Cost<T>(_loss, output.Z, output.A, _tb, count, width) * count;
            correct += Metrics.CountCorrect<T>(output.A, _tb, count, width);
            if (outputs is not null)
                for (int i = 0; i < count * width; i++) outputs[start * width + i] = double.CreateChecked(output.A[i]);
        }
        bool classification = _loss != Loss.Mse || _data.Kind != TargetKind.Continuous;
        return (total / rows, classification ? (double)correct / rows : null);
    }
}
