namespace SymmetryLab.Lab;

/// <summary>
/// How a front end names the settings a <see cref="Diagnosis"/>'s advice mentions. The library says them
/// in its own words (<see cref="Library"/>: "try a smaller learning rate"); the command line says them as
/// <c>symlab train</c>'s flags ("try a smaller --lr", <see cref="Runs.FlagMessages.Words"/>); a page says
/// its fields' labels. Each is a noun phrase that fits every sentence of the advice.
/// </summary>
/// <param name="LearningRate">The learning rate, after "a smaller", "a larger" or "another".</param>
/// <param name="ZScore">Z-score normalization of the inputs, as subject or object: "use it", "it puts every feature on the same scale".</param>
/// <param name="Initializer">The weight initialization as a kind of setting, after "a random".</param>
/// <param name="Scheme">What goes before an initialization scheme's SPEC.md name (e.g. glorot-uniform) to name it as a setting.</param>
public sealed record SettingWords(string LearningRate, string ZScore, string Initializer, string Scheme)
{
    /// <summary>The library's own words: "learning rate", "z-score normalization", "initializer", "the initializer glorot-uniform".</summary>
    public static SettingWords Library { get; } = new("learning rate", "z-score normalization", "initializer", "the initializer ");

    /// <summary>The scheme <paramref name="name"/> (SPEC.md spelling) named as a setting.</summary>
    public string SchemeNamed(string name) => Scheme + name;
}
