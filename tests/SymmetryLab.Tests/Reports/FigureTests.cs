using ScottPlot;
using SkiaSharp;
using SymmetryLab.Lab.Experiments;
using SymmetryLab.Reports;

namespace SymmetryLab.Tests.Reports;

/// <summary>What a picture shows is what its caption says: colours on a fixed labelled scale, readable axes, legends beside the data.</summary>
public class FigureTests
{
    private static double[,] Uniform(int n, double v)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i, j] = v;
        return m;
    }

    /// <summary>Where the PNG of a 2 x 2 heat map has the colour of value v of the figure's scale, counted over the plot area.</summary>
    private static double ShareOfColour(byte[] png, Color expected)
    {
        using var bitmap = SKBitmap.Decode(png);
        int hits = 0, total = 0;
        for (int y = bitmap.Height / 4; y < 3 * bitmap.Height / 4; y++)
            for (int x = bitmap.Width / 5; x < bitmap.Width / 2; x++)
            {
                var p = bitmap.GetPixel(x, y);
                total++;
                if (Math.Abs(p.Red - expected.R) <= 2 && Math.Abs(p.Green - expected.G) <= 2 && Math.Abs(p.Blue - expected.B) <= 2) hits++;
            }
        return (double)hits / total;
    }

    [Fact]
    public void A_uniform_similarity_of_1_is_drawn_at_the_top_of_a_fixed_labelled_scale()
    {
        var figure = new HeatmapFigure("s", "similarity", "1 everywhere: identical units", [("tied", Uniform(2, 1)), ("half", Uniform(2, 0))], "cosine");
        var drawn = FigureRenderer.Build(figure);
        var images = FigureRenderer.Render(figure);
        var viridis = new ScottPlot.Colormaps.Viridis();
        // The plot area of the tied panel is the colour of 1 on a -1..1 scale (the top of Viridis), and of 0 in the other.
        Assert.True(ShareOfColour(images[0].Png, viridis.GetColor(1.0)) > 0.9, "1 must be drawn at the top of the scale");
        Assert.True(ShareOfColour(images[1].Png, viridis.GetColor(0.5)) > 0.9, "0 must be drawn at the middle of a -1..1 scale");
        foreach (var d in drawn)
        {
            var hm = d.Plot.GetPlottables().OfType<ScottPlot.Plottables.Heatmap>().Single();
            Assert.Equal(new ScottPlot.Range(-1, 1), hm.ManualRange);
            var bar = d.Plot.Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>().Single();
            d.Plot.RenderInMemory(d.Width, d.Height);
            var labels = bar.Axis.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label).ToList();
            Assert.Contains("1", labels);
            Assert.Contains("-1", labels);
            Assert.Contains("fixed scale", bar.Label);
        }
    }

    [Fact]
    public void Unit_axes_have_a_tick_at_each_unit_and_nothing_between()
    {
        var d = FigureRenderer.Build(new HeatmapFigure("s", "t", "c", [("two", Uniform(2, 0.3))], "cosine"))[0];
        d.Plot.RenderInMemory(d.Width, d.Height);
        foreach (var axis in new IAxis[] { d.Plot.Axes.Bottom, d.Plot.Axes.Left })
            Assert.Equal([1.0, 2.0], axis.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Position).Order().ToArray());
    }

    private static Series Curve(string label, params double[] y) => new(label, y.Select((_, i) => (double)(i + 1)).ToArray(), y);

    [Fact]
    public void A_cost_spanning_a_wide_range_gets_a_log_axis_and_counts_get_whole_number_ticks()
    {
        var wide = new LineFigure("l", "cost", "c", "epoch", "cost (bce)", [Curve("x10", 170, 40, 3, 0.5), Curve("He", 0.69, 0.5, 0.3, 0.1)]);
        Assert.True(FigureRenderer.UsesLogScale(wide));
        var d = FigureRenderer.Build(wide)[0];
        d.Plot.RenderInMemory(d.Width, d.Height);
        var labels = d.Plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label).ToList();
        Assert.Contains("100", labels);
        Assert.Contains("1", labels);
        Assert.Contains("0.1", labels);
        Assert.All(d.Plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor), t => Assert.Equal(Math.Round(t.Position), t.Position));

        var narrow = new LineFigure("l", "cost", "c", "epoch", "cost (bce)", [Curve("a", 0.69, 0.5, 0.3, 0.2)]);
        Assert.False(FigureRenderer.UsesLogScale(narrow));
    }

    [Fact]
    public void Coinciding_series_stay_visible_and_the_legend_sits_beside_the_data()
    {
        double[] one = [1, 1, 1, 1, 1], all = [25, 25, 25, 25, 25];
        var figure = new LineFigure("d", "Distinct units", "c", "epoch", "distinct units",
            [Curve("zeros", one), Curve("constant 0.5", one), Curve("symmetric random", one), Curve("seed 1", all), Curve("seed 2", all)])
        { MayCoincide = true };
        var d = FigureRenderer.Build(figure)[0];
        var lines = d.Plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToList();
        Assert.Equal(5, lines.Select(l => l.LineWidth).Distinct().Count());
        Assert.Equal(5, lines.Select(l => l.MarkerShape).Distinct().Count());
        Assert.Contains(d.Plot.Axes.GetPanels(), p => p is ScottPlot.Panels.LegendPanel);
        Assert.False(d.Plot.Legend.IsVisible); // no legend drawn inside the data area
        d.Plot.RenderInMemory(d.Width, d.Height);
        Assert.All(d.Plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor), t => Assert.Equal(Math.Round(t.Position), t.Position));
    }

    [Fact]
    public void Identical_trajectories_say_they_are_drawn_as_one_line()
    {
        double[] x = [0, 1, 2];
        var figure = new LineFigure("t", "w", "c", "step", "weight",
            [new Series("tied: unit 1", x, [0.2, 0.3, 0.4]), new Series("tied: unit 2", x, [0.2, 0.3, 0.4]), new Series("untied: unit 1", x, [0.2, 0.1, 0]), new Series("untied: unit 2", x, [0.2, 0.5, 0.6])]);
        var legend = FigureRenderer.Build(figure)[0].Plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Select(s => s.LegendText).Where(t => t.Length > 0).ToList();
        Assert.Equal(["tied (2 identical lines, drawn as one)", "untied"], legend);
    }
}
