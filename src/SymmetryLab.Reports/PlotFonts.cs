namespace SymmetryLab.Reports;

/// <summary>
/// Plots use the bundled DejaVu Sans (Fonts/ beside the program, licence included), so they render the
/// same on a bare Linux machine with no fonts installed.
/// </summary>
internal static class PlotFonts
{
    public const string Family = "DejaVu Sans";
    private static bool _registered;

    public static void Register()
    {
        lock (typeof(PlotFonts))
        {
            if (_registered) return;
            string dir = Path.Combine(AppContext.BaseDirectory, "Fonts");
            ScottPlot.Fonts.AddFontFile(Family, Path.Combine(dir, "DejaVuSans.ttf"), bold: false, italic: false);
            ScottPlot.Fonts.AddFontFile(Family, Path.Combine(dir, "DejaVuSans-Bold.ttf"), bold: true, italic: false);
            ScottPlot.Fonts.Default = Family;
            _registered = true;
        }
    }
}
