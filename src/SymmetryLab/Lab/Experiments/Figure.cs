namespace SymmetryLab.Lab.Experiments;

/// <summary>A figure as data: the report draws it; <see cref="Name"/> is its file name without extension.</summary>
/// <param name="Name">The figure's file name without extension (loss, unit-maps, ...).</param>
/// <param name="Title">The title drawn above it.</param>
/// <param name="Caption">The sentence under it: what it shows and how to read its colours or lines.</param>
public abstract record Figure(string Name, string Title, string Caption);

/// <summary>One line of a line chart.</summary>
/// <param name="Label">The legend's text.</param>
/// <param name="X">The x of each point.</param>
/// <param name="Y">The y of each point (as many as <paramref name="X"/>).</param>
public sealed record Series(string Label, double[] X, double[] Y);

/// <summary>A labelled line across a chart: a level (horizontal, at Y = <see cref="Value"/>) or a moment (vertical, at X = <see cref="Value"/>).</summary>
/// <param name="Label">The text beside the line.</param>
/// <param name="Value">Where it crosses: a y for a level, an x for a moment.</param>
/// <param name="Vertical">Whether it is a moment (vertical) rather than a level.</param>
public sealed record Guide(string Label, double Value, bool Vertical = false);

/// <summary>
/// Curves over time: loss per initialization, distinct units, weight trajectories. The renderer picks
/// integer ticks where every value is a whole number and a logarithmic cost axis when the values span
/// more than a factor of 50; <see cref="MayCoincide"/> draws each series with its own width and marker
/// so that series lying on top of each other stay visible.
/// </summary>
/// <param name="Name">The figure's file name without extension (loss, unit-maps, ...).</param>
/// <param name="Title">The title drawn above it.</param>
/// <param name="Caption">The sentence under it: what it shows and how to read its colours or lines.</param>
/// <param name="XLabel">The x axis's label, with units.</param>
/// <param name="YLabel">The y axis's label, with units.</param>
/// <param name="Series">The lines.</param>
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
/// <param name="Name">The figure's file name without extension (loss, unit-maps, ...).</param>
/// <param name="Title">The title drawn above it.</param>
/// <param name="Caption">The sentence under it: what it shows and how to read its colours or lines.</param>
/// <param name="Panels">Each matrix with its label, drawn side by side.</param>
/// <param name="ValueLabel">What a cell's value is, for the colour bar.</param>
public sealed record HeatmapFigure(string Name, string Title, string Caption, List<(string Label, double[,] Values)> Panels, string ValueLabel)
    : Figure(Name, Title, Caption)
{
    /// <summary>The value drawn at the bottom of the colour scale (default -1).</summary>
    public double Min { get; init; } = -1;

    /// <summary>The value drawn at the top of the colour scale (default 1).</summary>
    public double Max { get; init; } = 1;
}

/// <summary>Small images side by side: each first-layer unit's incoming weights as a picture.</summary>
/// <param name="Name">The figure's file name without extension (loss, unit-maps, ...).</param>
/// <param name="Title">The title drawn above it.</param>
/// <param name="Caption">The sentence under it: what it shows and how to read its colours or lines.</param>
/// <param name="Tiles">Each picture (Width x Height values, row-major) with its label.</param>
/// <param name="Width">Pixel columns of a picture.</param>
/// <param name="Height">Pixel rows of a picture.</param>
/// <param name="Columns">Pictures per row of the figure.</param>
public sealed record TilesFigure(string Name, string Title, string Caption, List<(string Label, double[] Pixels)> Tiles, int Width, int Height, int Columns)
    : Figure(Name, Title, Caption);

/// <summary>A 2-D classifier's decision regions with the data points over them.</summary>
/// <param name="Name">The figure's file name without extension (loss, unit-maps, ...).</param>
/// <param name="Title">The title drawn above it.</param>
/// <param name="Caption">The sentence under it: what it shows and how to read its colours or lines.</param>
/// <param name="Panels">One classifier each, side by side.</param>
public sealed record BoundaryFigure(string Name, string Title, string Caption, List<BoundaryPanel> Panels) : Figure(Name, Title, Caption);

/// <summary>
/// On a grid over [XMin, XMax] x [YMin, YMax] (rows = y): P(class 1) of a one-output classifier, or, with
/// <see cref="Classes"/> &gt; 2, the predicted class; and the points with their labels.
/// </summary>
/// <param name="Label">The panel's title.</param>
/// <param name="Probability">The grid, [row, column], row 0 at YMin: P(class 1), or the predicted class.</param>
/// <param name="XMin">The left edge of the grid (first input).</param>
/// <param name="XMax">The right edge of the grid.</param>
/// <param name="YMin">The bottom edge of the grid (second input).</param>
/// <param name="YMax">The top edge of the grid.</param>
/// <param name="PointX">Each data point's first input.</param>
/// <param name="PointY">Each data point's second input.</param>
/// <param name="PointClass">Each data point's class.</param>
/// <param name="XLabel">The first input's name.</param>
/// <param name="YLabel">The second input's name.</param>
public sealed record BoundaryPanel(string Label, double[,] Probability, double XMin, double XMax, double YMin, double YMax, double[] PointX, double[] PointY, int[] PointClass, string XLabel, string YLabel)
{
    /// <summary>2: the grid holds P(class 1); K &gt; 2: the grid holds the predicted class 0..K-1.</summary>
    public int Classes { get; init; } = 2;
}

/// <summary>Every unit of one layer as a map of its output over the input plane of a 2-input network, one small map per unit on one colour scale.</summary>
/// <param name="Name">The figure's file name without extension (loss, unit-maps, ...).</param>
/// <param name="Title">The title drawn above it.</param>
/// <param name="Caption">The sentence under it: what it shows and how to read its colours or lines.</param>
/// <param name="Panels">One layer each.</param>
public sealed record UnitMapsFigure(string Name, string Title, string Caption, List<UnitMapsPanel> Panels) : Figure(Name, Title, Caption);

/// <summary>One layer's maps: Maps[j] is unit j+1's output on a grid over [XMin, XMax] x [YMin, YMax] (rows = y), drawn from Min to Max.</summary>
/// <param name="Label">The panel's title (the layer).</param>
/// <param name="Maps">Each unit's output on the grid, [row, column].</param>
/// <param name="Min">The value at the bottom of the colour scale.</param>
/// <param name="Max">The value at the top of the colour scale.</param>
/// <param name="XMin">The left edge of the grid (first input).</param>
/// <param name="XMax">The right edge of the grid.</param>
/// <param name="YMin">The bottom edge of the grid (second input).</param>
/// <param name="YMax">The top edge of the grid.</param>
/// <param name="XLabel">The first input's name.</param>
/// <param name="YLabel">The second input's name.</param>
/// <param name="ValueLabel">What a unit's output is (its activation), for the colour bar.</param>
public sealed record UnitMapsPanel(string Label, List<double[,]> Maps, double Min, double Max, double XMin, double XMax, double YMin, double YMax, string XLabel, string YLabel, string ValueLabel);
