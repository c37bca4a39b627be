using ScottPlot;
using SymmetryLab.Data;

namespace SymmetryLab.Reports;

/// <summary>A data set of two features drawn as points: classes by colour and shape, a numeric target by colour on a labelled scale, test rows hollow.</summary>
public static class DataPlot
{
    private static readonly MarkerShape[] Filled = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.FilledTriangleDown];
    private static readonly MarkerShape[] Open = [MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp, MarkerShape.OpenDiamond, MarkerShape.OpenTriangleDown];

    public static byte[] Scatter(Dataset train, Dataset? test = null)
    {
        if (train.Features != 2) throw new ArgumentException($"{train.Name} has {train.Features} features; a scatter plot needs 2");
        PlotFonts.Register();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var (set, hollow) in new[] { (train, false), (test, true) })
        {
            if (set is null) continue;
            if (set.Kind == TargetKind.Continuous)
            {
                var range = new ScottPlot.Range(train.Y.Min(), Math.Max(train.Y.Max(), train.Y.Min() + 1e-12));
                var colormap = new ScottPlot.Colormaps.Viridis();
                for (int r = 0; r < set.Rows; r++)
                {
                    var m = plot.Add.Marker(set.X[2 * r], set.X[2 * r + 1], hollow ? MarkerShape.OpenCircle : MarkerShape.FilledCircle, 6, colormap.GetColor(set.Y[r], range));
                    if (r == 0) m.LegendText = hollow ? "test rows" : "training rows";
                }
                if (!hollow)
                {
                    // The colour bar reads its scale from a plottable: an empty heat map carries it without drawing anything.
                    var scale = plot.Add.Heatmap(new double[1, 1] { { range.Min } });
                    scale.Colormap = colormap;
                    scale.ManualRange = range;
                    scale.IsVisible = false;
                    FigureRenderer.ColorBar(plot, scale, set.TargetName, range.Min, range.Max);
                }
                continue;
            }
            foreach (int cls in set.Y.Select(y => (int)y).Distinct().Order())
            {
                var rows = Enumerable.Range(0, set.Rows).Where(r => (int)set.Y[r] == cls).ToArray();
                var points = plot.Add.ScatterPoints(rows.Select(r => set.X[2 * r]).ToArray(), rows.Select(r => set.X[2 * r + 1]).ToArray());
                points.MarkerShape = (hollow ? Open : Filled)[cls % Filled.Length];
                points.Color = palette.GetColor(cls);
                points.MarkerSize = hollow ? 8 : 6;
                points.LegendText = $"{(hollow ? "test, " : "")}class {cls}";
            }
        }
        plot.Title($"{train.Name}: {train.Rows} rows{(test is null ? "" : $", {test.Rows} test rows (hollow)")}");
        plot.XLabel(train.FeatureNames[0]);
        plot.YLabel(train.FeatureNames[1]);
        plot.ShowLegend(Edge.Right);
        return plot.GetImageBytes(760, 520, ImageFormat.Png);
    }
}
