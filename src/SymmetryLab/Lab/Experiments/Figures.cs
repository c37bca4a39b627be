using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;

namespace SymmetryLab.Lab.Experiments;

/// <summary>Turns networks and runs into figure data.</summary>
internal static class Figures
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

    /// <summary>A resolution x resolution grid over the range of a 2-feature data set (5% margins), row r at y = YMin + (r + 0.5) dy.</summary>
    private static (Dataset Grid, double XMin, double XMax, double YMin, double YMax) Plane(Dataset data, int resolution)
    {
        if (data.Features != 2) throw new ArgumentException($"{data.Name} has {data.Features} features; a plane needs 2");
        double xMin = double.MaxValue, xMax = double.MinValue, yMin = double.MaxValue, yMax = double.MinValue;
        for (int r = 0; r < data.Rows; r++)
        {
            xMin = Math.Min(xMin, data.X[2 * r]); xMax = Math.Max(xMax, data.X[2 * r]);
            yMin = Math.Min(yMin, data.X[2 * r + 1]); yMax = Math.Max(yMax, data.X[2 * r + 1]);
        }
        double padX = Math.Max((xMax - xMin) * 0.05, 1e-9), padY = Math.Max((yMax - yMin) * 0.05, 1e-9);
        xMin -= padX; xMax += padX; yMin -= padY; yMax += padY;
        var grid = new double[resolution * resolution * 2];
        for (int row = 0; row < resolution; row++)
            for (int col = 0; col < resolution; col++)
            {
                grid[2 * (row * resolution + col)] = xMin + (xMax - xMin) * (col + 0.5) / resolution;
                grid[2 * (row * resolution + col) + 1] = yMin + (yMax - yMin) * (row + 0.5) / resolution;
            }
        return (new Dataset("grid", grid, new double[resolution * resolution], 2), xMin, xMax, yMin, yMax);
    }

    /// <summary>
    /// Decision regions of a 2-input classifier over the data's range (raw inputs; the network's
    /// normalization applies): P(class 1) for one sigmoid output, the predicted class for K outputs.
    /// </summary>
    public static BoundaryPanel Boundary(string label, Network<double> network, Dataset data, int resolution = 80)
    {
        var (grid, xMin, xMax, yMin, yMax) = Plane(data, resolution);
        var output = ActivationProfile.Of(network, grid).A[^1];
        int k = network.Outputs;
        var p = new double[resolution, resolution];
        for (int row = 0; row < resolution; row++)
            for (int col = 0; col < resolution; col++)
            {
                int at = row * resolution + col;
                p[row, col] = k == 1 ? output[at] : Metrics.ArgMax<double>(output.AsSpan(at * k, k));
            }
        return new BoundaryPanel(label, p, xMin, xMax, yMin, yMax,
            Enumerable.Range(0, data.Rows).Select(r => data.X[2 * r]).ToArray(),
            Enumerable.Range(0, data.Rows).Select(r => data.X[2 * r + 1]).ToArray(),
            data.Y.Select(v => (int)v).ToArray(), data.FeatureNames[0], data.FeatureNames[1])
        { Classes = Math.Max(2, k) };
    }

    /// <summary>
    /// Every unit of <paramref name="layer"/> (1-based) of a 2-input network as a map of its output over the
    /// data's range, all on one scale: the activation's range (sigmoid 0 to 1, tanh -1 to 1), or the
    /// smallest to largest output on the grid for unbounded ones.
    /// </summary>
    public static UnitMapsPanel UnitMaps(string label, Network<double> network, Dataset data, int layer, int resolution = 40)
    {
        var (grid, xMin, xMax, yMin, yMax) = Plane(data, resolution);
        var a = ActivationProfile.Of(network, grid).A[layer - 1];
        var l = network.Layers[layer - 1];
        var maps = new List<double[,]>();
        for (int j = 0; j < l.Units; j++)
        {
            var map = new double[resolution, resolution];
            for (int row = 0; row < resolution; row++)
                for (int col = 0; col < resolution; col++) map[row, col] = a[(row * resolution + col) * l.Units + j];
            maps.Add(map);
        }
        var (min, max) = l.Activation switch
        {
            Activation.Sigmoid or Activation.Softmax => (0.0, 1.0),
            Activation.Tanh => (-1.0, 1.0),
            _ => (a.Min(), Math.Max(a.Max(), a.Min() + 1e-12)),
        };
        return new UnitMapsPanel(label, maps, min, max, xMin, xMax, yMin, yMax, data.FeatureNames[0], data.FeatureNames[1], $"a = {l.Activation.Name()}(z)");
    }

    /// <summary>Each unit of layer 1 (the first <paramref name="units"/>) as an image of its incoming weights.</summary>
    public static List<(string, double[])> WeightTiles(Network<double> network, int units)
    {
        var layer = network.Layers[0];
        return Enumerable.Range(0, Math.Min(units, layer.Units))
            .Select(j => ($"unit {j + 1}", layer.Weights.AsSpan(j * layer.Inputs, layer.Inputs).ToArray()))
            .ToList();
    }
}
