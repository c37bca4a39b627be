using System.Globalization;

namespace SymmetryLab.Runs;

/// <summary>
/// Settings a run or a sweep cannot take (<see cref="RunSettings"/>, <see cref="SweepOptions"/>, the arguments
/// of <see cref="Sweep.Merge"/>). The message names the library's parameter and its value, e.g.
/// <c>RunSettings.Epochs = -1: must be 0 or more</c>; <see cref="Parameter"/> gives it to a program.
/// A front end says the same sentence with its own names for the parameters (<c>symlab</c>: its flags).
/// Bad data raise <see cref="Data.DataException"/>.
/// </summary>
public sealed class SettingsException : Exception
{
    /// <summary>A refusal in words of the caller's own, naming no parameter.</summary>
    /// <param name="message">What is wrong.</param>
    public SettingsException(string message) : base(message) { }

    private SettingsException(FormattableString sentence) : base(sentence.ToString(CultureInfo.CurrentCulture))
    {
        Sentence = sentence;
        Parameter = Settings(sentence).FirstOrDefault()?.Parameter;
    }

    /// <summary>The settings <paramref name="sentence"/> names, in its order (those of nested sentences in place).</summary>
    private static IEnumerable<Setting> Settings(FormattableString sentence) => sentence.GetArguments().SelectMany(a => a switch
    {
        Setting s => [s],
        FormattableString f => Settings(f),
        _ => [],
    });

    /// <summary>
    /// The parameter at fault as the message names it (e.g. <c>RunSettings.Epochs</c>, <c>SweepOptions.Threads</c>,
    /// <c>threshold</c> for <see cref="Sweep.Merge"/>'s argument); null when the message names none.
    /// </summary>
    public string? Parameter { get; }

    /// <summary>
    /// The message with a hole for each setting it names (a <see cref="Setting"/>, a <see cref="Wording"/> or a nested
    /// sentence), so a front end fills the holes with its own names (<see cref="FlagMessages"/>): each sentence is written once.
    /// Null for a message in the caller's own words.
    /// </summary>
    internal FormattableString? Sentence { get; }

    /// <summary>The refusal <paramref name="sentence"/>, whose <see cref="Setting"/> holes the library names by its parameters.</summary>
    internal static SettingsException Of(FormattableString sentence) => new(sentence);
}
