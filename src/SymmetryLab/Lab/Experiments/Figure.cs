namespace SymmetryLab.Lab.Experiments;

/// <summary>A figure as data: the report draws it; <see cref="Name"/> is its file name without extension.</summary>
public abstract record Figure(string Name, string Title, string Caption);

/// <summary>One line of a line chart.</summary>
public sealed record Series(string Label, double[] X, double[] Y);

/// <summary>Curves over time: loss per initialization, distinct units, weight trajectories.</summary>
public sealed record LineFigure(string Name, string Title, string Caption, string XLabel, string YLabel, List<Series> Series)
    : Figure(Name, Title, Caption);

/// <summary>A matrix as colours (unit similarity, correlations); rows and columns are units, 1-based labels.</summary>
public sealed record HeatmapFigure(string Name, string Title, string Caption, List<(string Label, double[,] Values)> Panels, string ValueLabel)
    : Figure(Name, Title, Caption);

/// <summary>Small images side by side: each first-layer unit's incoming weights as a picture.</summary>
public sealed record TilesFigure(string Name, string Title, string Caption, List<(string Label, double[] Pixels)> Tiles, int Width, int Height, int Columns)
    : Figure(Name, Title, Caption);

/// <summary>A 2-D classifier's decision regions with the data points over them.</summary>
public sealed record BoundaryFigure(string Name, string Title, string Caption, List<BoundaryPanel> Panels) : Figure(Name, Title, Caption);

/// <summary>P(class 1) on a grid over [XMin, XMax] x [YMin, YMax] (rows = y), and the points with their labels.</summary>
public sealed record BoundaryPanel(string Label, double[,] Probability, double XMin, double XMax, double YMin, double YMax, double[] PointX, double[] PointY, int[] PointClass, string XLabel, string YLabel);
