namespace SymmetryLab.Runs;

/// <summary>
/// A setting a <see cref="SettingsException"/> names: the library's parameter (<c>RunSettings.Epochs</c>) and
/// the value refused (null: the parameter alone). The library writes it <c>RunSettings.Epochs = -1</c>; a front
/// end names the parameter its own way (<see cref="FlagMessages"/>: <c>--epochs -1</c>), with
/// <paramref name="FlagValue"/> where the flag writes the value otherwise (<c>--record weights:40</c>).
/// </summary>
/// <param name="Parameter">The property or argument, as a caller writes it: <c>RunSettings.Epochs</c>, <c>threshold</c>.</param>
/// <param name="Value">The value as the library shows it; null: none is shown.</param>
/// <param name="FlagValue">The value as the flag takes it, when it differs from <paramref name="Value"/>.</param>
internal sealed record Setting(string Parameter, object? Value = null, object? FlagValue = null) : IFormattable
{
    /// <summary>A property of <see cref="RunSettings"/>.</summary>
    public static Setting Run(string property, object? value = null, object? flagValue = null) => new($"{nameof(RunSettings)}.{property}", value, flagValue);

    /// <summary>A property of <see cref="SweepOptions"/>.</summary>
    public static Setting Sweep(string property, object? value = null, object? flagValue = null) => new($"{nameof(SweepOptions)}.{property}", value, flagValue);

    /// <summary><see cref="RunSettings.Layers"/> as C# writes the widths (<c>[25, 15, 1]</c>); the flag writes <c>25,15,1</c>.</summary>
    public static Setting Layers(IEnumerable<int> widths) => Run(nameof(RunSettings.Layers), $"[{string.Join(", ", widths)}]", string.Join(",", widths));

    /// <summary>The library's words: <c>RunSettings.Epochs = -1</c>.</summary>
    public override string ToString() => Value is null ? Parameter : $"{Parameter} = {Value}";

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => ToString();
}
