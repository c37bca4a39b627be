namespace SymmetryLab.Web.Api;

/// <summary>The answer to a control: the action carried out.</summary>
internal sealed record ControlAnswer(string Action);
