using System.Globalization;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Cli.Commands;

/// <summary>Values of flags that are more than a number: each failure names the flag.</summary>
internal static class Parse
{
    public static int[] Widths(string text, string flag = "--layers")
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
                throw new UsageException($"{flag} {text}: '{parts[i]}' is not a width (a whole number >= 1); list hidden and output widths, e.g. 25,15,1");
        return widths;
    }

    public static Activation Activation(string text, string flag)
    {
        if (!ActivationNames.TryParse(text, out var a))
            throw new UsageException($"{flag} {text}: unknown activation (known: {string.Join(", ", ActivationNames.All)})");
        return a;
    }

    public static Loss Loss(string text)
    {
        if (!LossNames.TryParse(text, out var l)) throw new UsageException($"--loss {text}: unknown loss (known: bce, ce, mse)");
        return l;
    }

    /// <summary>--batch N|full: 0 stands for full.</summary>
    public static int Batch(string text)
    {
        if (text == "full") return 0;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1) return n;
        throw new UsageException($"--batch {text}: expected a whole number >= 1 or 'full'");
    }

    public static double[] Numbers(string text, string flag)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw new UsageException($"{flag} {text}: value {i + 1} '{parts[i]}' is not a finite number");
        return values;
    }
}
