using Spectre.Console;

namespace SymmetryLab.Cli;

/// <summary>Tables and progress through Spectre.Console, on whatever writer the command was given.</summary>
internal static class Terminal
{
    public static IAnsiConsole For(CommandIO io)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(io.Out),
            Ansi = io.Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = io.Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = io.Interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Without a terminal there is no width to detect; logs and pipes get room for a whole row.
        if (!io.Interactive) console.Profile.Width = 120;
        return console;
    }

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in columns) table.AddColumn(new TableColumn(Markup.Escape(c)));
        return table;
    }

    /// <summary>Unit numbers listed whole in a table cell at most; a longer list shows its first ones, the last and the count.</summary>
    public const int MaxListed = 12;

    /// <summary>
    /// Unit numbers for a table cell, separated by ", " so that a long list wraps between numbers (Spectre
    /// breaks a cell without spaces anywhere, and "2" above "4" reads as two units where 24 was meant);
    /// more than <see cref="MaxListed"/>: "1, 2, 3, 4, 5, 6, ..., 40 (40 units)".
    /// </summary>
    public static string Units(IReadOnlyCollection<int> units) => Listed(units) + Count(units);

    /// <summary>A group of units in braces, as <see cref="Units"/> lists them: "{1, 2, 3, 4, 5, 6, ..., 40} (40 units)".</summary>
    public static string Group(IReadOnlyCollection<int> units) => "{" + Listed(units) + "}" + Count(units);

    private static string Listed(IReadOnlyCollection<int> units) =>
        units.Count <= MaxListed ? string.Join(", ", units) : $"{string.Join(", ", units.Take(MaxListed / 2))}, ..., {units.Last()}";

    private static string Count(IReadOnlyCollection<int> units) => units.Count <= MaxListed ? "" : $" ({units.Count} units)";

    public static void AddCells(this Table table, params object?[] cells) =>
        table.AddRow(cells.Select(c => Markup.Escape(c switch
        {
            null => "-",
            double d => d.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
            _ => c.ToString() ?? "",
        })).ToArray());
}
