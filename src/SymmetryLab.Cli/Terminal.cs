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

    public static void AddCells(this Table table, params object?[] cells) =>
        table.AddRow(cells.Select(c => Markup.Escape(c switch
        {
            null => "-",
            double d => d.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
            _ => c.ToString() ?? "",
        })).ToArray());
}
