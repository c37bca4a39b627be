using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab.Experiments;

/// <summary>Turns networks and runs into figure data.</summary>
public static class Figures
{
    public static Series Loss(string label, WatchedRun run) =>
        new(label, run.History.Select(h => (double)h.Epoch).ToArray(), run.History.Select(h => h.Loss).ToArray());

    public static Series DistinctUnits(string label, WatchedRun run, int layer) =>
        new(label, run.History.Select(h => (double)h.Epoch).ToArray(), run.Recorder.DistinctPerEpoch.Select(d => (double)d[layer - 1]).ToArray());

    /// <summary>Cosine similarity between every pair of units' incoming weight vectors (with bias) of <paramref name="layer"/>.</summary>
    public static double[,] UnitSimilarity(Network<double> network, int layer)
    {
        var l = network.Layers[layer - 1];
        var s = new double[l.Units, l.Units];
        double[] Vector(int j) => [.. l.Weights.AsSpan(j * l.Inputs, l.Inputs), l.Biases[j]];
        for (int a = 0; a < l.Units; a++)
            for (int b = 0; b < l.Units; b++)
            {
                var (u, v) = (Vector(a), Vector(b));
                double dot = 0, nu = 0, nv = 0;
                for (int i = 0; i < u.Length; i++) { dot += u[i] * v[i]; nu += u[i] * u[i]; nv += v[i] * v[i]; }
                s[a, b] = nu == 0 && nv == 0 ? 1 : nu == 0 || nv == 0 ? 0 : dot / Math.Sqrt(nu * nv);
            }
        return s;
    }

    /// <summary>The smallest and largest cosine similarity between two different units of <paramref name="layer"/> (1 and 1 for a single unit).</summary>
    public static (double Min, double Max) OffDiagonal(Network<double> network, int layer)
    {
        var s = UnitSimilarity(network, layer);
        int n = s.GetLength(0);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                if (a != b) { min = Math.Min(min, s[a, b]); max = Math.Max(max, s[a, b]); }
        return n < 2 ? (1, 1) : (min, max);
    }

    /// <summary>P(class 1) of a 2-input, 1-output network over the data's range (raw inputs; the network's normalization applies).</summary>
    public static BoundaryPanel Boundary(string label, Network<double> network, Dataset data, int resolution = 80)
    {
        double xMin = double.MaxValue, xMax = double.MinValue, yMin = double.MaxValue, yMax = double.MinValue;
        for (int r = 0; r < data.Rows; r++)
        {
            xMin = Math.Min(xMin, data.X[2 * r]); xMax = Math.Max(xMax, data.X[2 * r]);
            yMin = Math.Min(yMin, data.X[2 * r + 1]); yMax = Math.Max(yMax, data.X[2 * r + 1]);
        }
        double padX = (xMax - xMin) * 0.05, padY = (yMax - yMin) * 0.05;
        xMin -= padX; xMax += padX; yMin -= padY; yMax += padY;
        var grid = new double[resolution * resolution * 2];
        for (int row = 0; row < resolution; row++)
            for (int col = 0; col < resolution; col++)
            {
                grid[2 * (row * resolution + col)] = xMin + (xMax - xMin) * (col + 0.5) / resolution;
                grid[2 * (row * resolution + col) + 1] = yMin + (yMax - yMin) * (row + 0.5) / resolution;
            }
        var points = new Dataset("grid", grid, new double[resolution * resolution], 2);
        var outputs = new double[resolution * resolution];
        new Evaluator<double>(network, points, SymmetryLab.Engine.Losses.Loss.Mse, WorkerPool.ForThreads(1)).Evaluate(outputs);
        var p = new double[resolution, resolution];
        for (int row = 0; row < resolution; row++)
            for (int col = 0; col < resolution; col++) p[row, col] = outputs[row * resolution + col];
        return new BoundaryPanel(label, p, xMin, xMax, yMin, yMax,
            Enumerable.Range(0, data.Rows).Select(r => data.X[2 * r]).ToArray(),
            Enumerable.Range(0, data.Rows).Select(r => data.X[2 * r + 1]).ToArray(),
            data.Y.Select(v => (int)v).ToArray(), data.FeatureNames[0], data.FeatureNames[1]);
    }

    /// <summary>Each unit of layer 1 as a width x height image of its incoming weights.</summary>
    public static List<(string, double[])> WeightTiles(Network<double> network, int units)
    {
        var layer = network.Layers[0];
        return Enumerable.Range(0, Math.Min(units, layer.Units))
            .Select(j => ($"unit {j + 1}", layer.Weights.AsSpan(j * layer.Inputs, layer.Inputs).ToArray()))
            .ToList();
    }
}
