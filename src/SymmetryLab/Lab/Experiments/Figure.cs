namespace SymmetryLab.Lab.Experiments;

/// <summary>A figure as data: the report draws it; <see cref="Name"/> is its file name without extension.</summary>
public abstract record Figure(string Name, string Title, string Caption);

/// <summary>One line of a line chart.</summary>
public sealed record Series(string Label, double[] X, double[] Y);

/// <summary>A labelled line across a chart: a level (horizontal, at Y = <see cref="Value"/>) or a moment (vertical, at X = <see cref="Value"/>).</summary>
public sealed record Guide(string Label, double Value, bool Vertical = false);

/// <summary>
/// Curves over time: loss per initialization, distinct units, weight trajectories. The renderer picks
/// integer ticks where every value is a whole number and a logarithmic cost axis when the values span
/// more than a factor of 50; <see cref="MayCoincide"/> draws each series with its own width and marker
/// so that series lying on top of each other stay visible.
/// </summary>
public sealed record LineFigure(string Name, string Title, string Caption, string XLabel, string YLabel, List<Series> Series)
    : Figure(Name, Title, Caption)
{
    /// <summary>Levels and moments drawn across the chart (a baseline accuracy, the step a layer split).</summary>
    public List<Guide> Guides { get; init; } = [];

    /// <summary>Series may lie exactly on each other (distinct units of identical starts): draw them so each stays visible.</summary>
    public bool MayCoincide { get; init; }
}

/// <summary>
/// A matrix as colours (unit similarity, correlations); rows and columns are units, 1-based labels.
/// Every panel is drawn on the same fixed scale from <see cref="Min"/> to <see cref="Max"/>, so a colour
/// means one value in every panel and every report (a uniform matrix of 1 is drawn at the top).
/// </summary>
public sealed record HeatmapFigure(string Name, string Title, string Caption, List<(string Label, double[,] Values)> Panels, string ValueLabel)
    : Figure(Name, Title, Caption)
{
    public double Min { get; init; } = -1;
    public double Max { get; init; } = 1;
}

/// <summary>Small images side by side: each first-layer unit's incoming weights as a picture.</summary>
public sealed record TilesFigure(string Name, string Title, string Caption, List<(string Label, double[] Pixels)> Tiles, int Width, int Height, int Columns)
    : Figure(Name, Title, Caption);

/// <summary>A 2-D classifier's decision regions with the data points over them.</summary>
public sealed record BoundaryFigure(string Name, string Title, string Caption, List<BoundaryPanel> Panels) : Figure(Name, Title, Caption);

/// <summary>
/// On a grid over [XMin, XMax] x [YMin, YMax] (rows = y): P(class 1) of a one-output classifier, or, with
/// <see cref="Classes"/> &gt; 2, the predicted class; and the points with their labels.
/// </summary>
public sealed record BoundaryPanel(string Label, double[,] Probability, double XMin, double XMax, double YMin, double YMax, double[] PointX, double[] PointY, int[] PointClass, string XLabel, string YLabel)
{
    /// <summary>2: the grid holds P(class 1); K &gt; 2: the grid holds the predicted class 0..K-1.</summary>
    public int Classes { get; init; } = 2;
}

/// <summary>Every unit of one layer as a map of its output over the input plane of a 2-input network, one small map per unit on one colour scale.</summary>
public sealed record UnitMapsFigure(string Name, string Title, string Caption, List<UnitMapsPanel> Panels) : Figure(Name, Title, Caption);

/// <summary>One layer's maps: Maps[j] is unit j+1's output on a grid over [XMin, XMax] x [YMin, YMax] (rows = y), drawn from Min to Max.</summary>
public sealed record UnitMapsPanel(string Label, List<double[,]> Maps, double Min, double Max, double XMin, double XMax, double YMin, double YMax, string XLabel, string YLabel, string ValueLabel);
