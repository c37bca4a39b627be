using SymmetryLab.Lab;

namespace SymmetryLab.Web.State;

/// <summary>
/// The settings a diagnosis's advice names, said as the page labels its controls (index.html and
/// js/main.js: the "learning rate" and "init" fields, the "inputs" menu whose "z-scored" option
/// normalizes), so the advice points at something the learner can change. <c>symlab train</c> says the
/// same advice with its flags (<see cref="Runs.FlagMessages.Words"/>).
/// </summary>
internal static class PageWords
{
    /// <summary>"try a smaller learning rate in the “learning rate” field", "a random init scheme in the “init” field" (no parentheses: the advice is often inside some).</summary>
    public static SettingWords Settings { get; } = new(
        LearningRate: "learning rate in the \u201Clearning rate\u201D field",
        ZScore: "\u201Cz-scored\u201D in the \u201Cinputs\u201D menu",
        Initializer: "init scheme in the \u201Cinit\u201D field",
        Scheme: "the init ");
}
