using System.CommandLine;
using System.Globalization;
using System.Text;
using SymmetryLab.Cli.Answers;
using SymmetryLab.Data;
using SymmetryLab.Data.Generators;
using SymmetryLab.Reports;
using SymmetryLab.Serialization;

namespace SymmetryLab.Cli.Commands;

/// <summary>
/// <c>symlab data list [--json]</c>: the built-in sets and the generators;
/// <c>symlab data show NAME|FILE|GENERATOR [--index K] [--count N] [--png FILE]</c>: shape, class counts,
/// a few rows, and for image sets a picture (ASCII on the terminal, PNG on request).
/// </summary>
internal static class DataCommand
{
    private const int ShownFeatures = 8;

    public static Command Create(CommandIO io)
    {
        var command = new Command("data", "The built-in data sets, the generators, and what a data set looks like");
        command.Subcommands.Add(List(io));
        command.Subcommands.Add(Show(io));
        command.Subcommands.Add(Export(io));
        return command;
    }

    private static Command List(CommandIO io)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object (SPEC.md)" };
        var command = new Command("list", "List the built-in data sets and the generators") { json };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            if (p.GetValue(json)) PrintListJson(io);
            else PrintList(io);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void PrintList(CommandIO io)
    {
        var console = Terminal.For(io);
        var sets = Terminal.Table("name", "rows", "features", "classes", "what it is");
        foreach (var e in Catalog.Entries)
            sets.AddCells(e.Name, e.TestRows > 0 ? $"{e.Rows} + {e.TestRows} test" : e.Rows.ToString(CultureInfo.InvariantCulture), e.Features, e.Classes, e.Description);
        console.Write(sets);
        io.Out.WriteLine("Sources and licences: data/NAME/README.md beside the program.");
        io.Out.WriteLine();
        var gens = Terminal.Table("generator", "classes", "what it is", "parameters (defaults)");
        foreach (var g in GeneratorCatalog.All)
            gens.AddCells(g.Name, g.DefaultClasses == 0 ? "regression" : g.Name is "spirals" or "blobs" ? $"{g.DefaultClasses} (set by a parameter)" : g.DefaultClasses, g.Description, g.Usage);
        console.Write(gens);
        io.Out.WriteLine("Generators: --data NAME or --data NAME:p=v,p=v, e.g. --data circles:n=300,noise=0.05,factor=0.5");
        io.Out.WriteLine("Parameters left out keep their defaults; seed=1 unless given, so a spec always names the same data.");
        io.Out.WriteLine("Files: --data FILE.csv[.gz], FILE-images-idx3-ubyte[.gz] (labels beside it), X.npy (y.npy beside it).");
    }

    private static void PrintListJson(CommandIO io) => JsonOut.Write(io.Out,
        new DataListAnswer(
            [.. Catalog.Entries.Select(e => new DatasetAnswer(e.Name, e.Rows, e.Features, e.Classes, e.Source, e.Description, e.TestRows > 0 ? e.TestRows : null))],
            [.. GeneratorCatalog.All.Select(g => new GeneratorAnswer(g.Name, g.Description, g.Usage, g.DefaultRows, g.DefaultFeatures, g.DefaultClasses,
                [.. g.Parameters.Select(p => new GeneratorParameterAnswer(p.Name, p.Default, p.Description)), new GeneratorParameterAnswer("seed", 1, "seed of the draws")]))]),
        CliJsonContext.Default.DataListAnswer);

    private static Command Show(CommandIO io)
    {
        var spec = new Argument<string>("NAME") { Description = "A built-in set, a generator spec (circles:noise=0.1) or a file" };
        var index = new Option<int?>("--index") { Description = "Show row K (1-based); for image sets, the image of row K" };
        var count = new Option<int>("--count") { Description = "With --png: a grid of N images starting at --index", DefaultValueFactory = _ => 1 };
        var png = new Option<string?>("--png") { Description = "Write the image (or the grid) to this PNG file" };
        var scale = new Option<int>("--scale") { Description = "With --png: pixels per image pixel", DefaultValueFactory = _ => 4 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: name, rows, features, classes, classCounts, image" };
        var command = new Command("show", "Shape, class counts and a few rows of a data set; images as PNG") { spec, index, count, png, scale, json };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            string? pngPath = p.GetValue(png);
            if (pngPath is not null) OutputPath.File(pngPath, "--png"); // before any work: a folder, a device or a pipe is refused
            var (data, test) = DataSource.Load(p.GetValue(spec)!);
            int? k = p.GetValue(index);
            int n = p.GetValue(count), s = p.GetValue(scale);
            if (k is { } kk && (kk < 1 || kk > data.Rows)) throw new UsageException($"--index {kk}: {data.Name} has rows 1 to {data.Rows}");
            if (n < 1) throw new UsageException($"--count {n}: must be at least 1");
            if (n > 1 && pngPath is null) throw new UsageException("--count needs --png FILE (a grid of images)");
            if (s < 1 || s > 64) throw new UsageException($"--scale {s}: must be 1 to 64");
            if (pngPath is not null)
            {
                if (data.Image is not null)
                {
                    var (pixels, width, height) = ImageGrid.Render(data, (k ?? 1) - 1, n, s);
                    using var buffer = new MemoryStream();
                    GrayPng.Write(buffer, pixels, width, height);
                    AtomicFile.WriteAllBytes(pngPath, buffer.ToArray(), "--png");
                }
                else if (data.Features == 2)
                {
                    if (n > 1) throw new UsageException($"--count {n}: a grid of images; the rows of {data.Name} are points, drawn all at once");
                    AtomicFile.WriteAllBytes(pngPath, DataPlot.Scatter(data, test), "--png");
                }
                else throw new UsageException($"--png: the rows of {data.Name} are neither images nor points in a plane ({data.Features} features)");
            }
            if (p.GetValue(json)) PrintShowJson(io, data, test, pngPath);
            else PrintShow(io, data, test, k, pngPath, n);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Export(CommandIO io)
    {
        var spec = new Argument<string>("NAME") { Description = "A built-in set, a generator spec (circles:noise=0.1) or a file" };
        var csv = new Option<string>("--csv") { Description = "The CSV file to write (the test rows, when the set has them, go to its sibling NAME.test.csv)", Required = true };
        var target = new Option<string?>("--target") { Description = "Target column of a CSV given as NAME" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: the files written and their rows" };
        var command = new Command("export", "Write a data set (train rows, and test rows beside them) as CSV that any tool reads") { spec, csv, target, json };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            string path = p.GetValue(csv)!;
            if (Directory.Exists(path)) throw new UsageException($"--csv {path}: is a folder; name the .csv file to write");
            var (data, test) = DataSource.Load(p.GetValue(spec)!, p.GetValue(target));
            string? testPath = test is null ? null : CsvWriter.TestPath(path);
            if (testPath is not null && Path.GetFullPath(testPath) == Path.GetFullPath(path))
                throw new UsageException($"--csv {path}: the test rows would overwrite it; name a .csv file");
            // Both names are checked before either file is written: never the train rows alone.
            OutputPath.File(path, "--csv");
            if (testPath is not null) OutputPath.File(testPath, "--csv");
            CsvWriter.Write(data, path, "--csv");
            if (test is not null) CsvWriter.Write(test, testPath!, "--csv");
            if (p.GetValue(json))
                JsonOut.Write(io.Out, new DataExportAnswer(path, data.Rows, testPath, test?.Rows), CliJsonContext.Default.DataExportAnswer);
            else
                io.Out.WriteLine($"wrote {path} ({data.Rows} rows x {data.Features} features and the target '{data.TargetName}'){(test is null ? "" : $" and {testPath} ({test.Rows} test rows)")}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void PrintShow(CommandIO io, Dataset data, Dataset? test, int? index, string? png, int count)
    {
        io.Out.WriteLine($"{data.Name}: {data.Rows} rows x {data.Features} features{(data.Image is { } im ? $" ({im} images)" : "")}, target '{data.TargetName}' ({Describe(data)})");
        if (test is not null) io.Out.WriteLine($"fixed test set: {test.Rows} rows");
        if (data.Kind != TargetKind.Continuous)
            io.Out.WriteLine("class counts: " + string.Join(", ", data.ClassCounts().Select((c, i) => $"{i}: {c}")));
        else
            io.Out.WriteLine($"target range: {data.Y.Min():G6} to {data.Y.Max():G6}");
        io.Out.WriteLine($"feature range: {data.X.Min():G6} to {data.X.Max():G6}");

        var rows = index is { } k ? [k - 1] : Enumerable.Range(0, Math.Min(5, data.Rows)).ToArray();
        int shown = Math.Min(ShownFeatures, data.Features);
        var headers = new List<string> { "row" };
        headers.AddRange(data.FeatureNames.Take(shown));
        if (shown < data.Features) headers.Add($"... ({data.Features - shown} more)");
        headers.Add(data.TargetName);
        var table = Terminal.Table([.. headers]);
        foreach (int r in rows)
        {
            var cells = new List<object?> { r + 1 };
            var row = data.Row(r);
            for (int f = 0; f < shown; f++) cells.Add(row[f]);
            if (shown < data.Features) cells.Add("");
            cells.Add(data.Y[r]);
            table.AddCells([.. cells]);
        }
        Terminal.For(io).Write(table);
        if (index is { } i && data.Image is { } shape) io.Out.Write(Ascii(data, i - 1, shape));
        if (png is not null)
            io.Out.WriteLine(data.Image is not null ? $"wrote {png} ({count} image{(count == 1 ? "" : "s")} from row {index ?? 1})"
                : $"wrote {png} (a scatter plot of the {data.Rows} rows{(test is null ? "" : $" and {test.Rows} test rows")})");
    }

    private static string Describe(Dataset d) => d.Kind switch
    {
        TargetKind.Binary => "binary 0/1",
        TargetKind.Classes => $"{d.ClassCount} classes",
        _ => "continuous",
    };

    /// <summary>The image as characters, darkest to brightest, so a terminal alone can show a digit.</summary>
    private static string Ascii(Dataset data, int row, ImageShape shape)
    {
        const string ramp = " .:-=+*#%@";
        double min = data.X.Min(), max = data.X.Max(), span = max > min ? max - min : 1;
        var values = data.Row(row);
        var sb = new StringBuilder();
        for (int y = 0; y < shape.Height; y++)
        {
            for (int x = 0; x < shape.Width; x++)
            {
                int level = (int)Math.Round((values[y * shape.Width + x] - min) / span * (ramp.Length - 1));
                sb.Append(ramp[Math.Clamp(level, 0, ramp.Length - 1)], 2);
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static void PrintShowJson(CommandIO io, Dataset data, Dataset? test, string? png) => JsonOut.Write(io.Out,
        new DataShowAnswer(data.Name, data.Rows, data.Features, data.ClassCount, data.ClassCounts(), test?.Rows, data.Image?.ToString(), png),
        CliJsonContext.Default.DataShowAnswer);
}
