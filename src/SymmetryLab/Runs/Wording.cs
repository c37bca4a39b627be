namespace SymmetryLab.Runs;

/// <summary>
/// A phrase of a <see cref="SettingsException"/> that the library and <c>symlab</c>'s flags say differently
/// (the whole set: <c>0</c> here, <c>'full'</c> for <c>--batch</c>). The library's words print.
/// </summary>
/// <param name="Library">The library's words.</param>
/// <param name="Flag">The words of <c>symlab train</c>'s flags.</param>
internal sealed record Wording(string Library, string Flag) : IFormattable
{
    /// <summary>The library's words.</summary>
    public override string ToString() => Library;

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => Library;
}
