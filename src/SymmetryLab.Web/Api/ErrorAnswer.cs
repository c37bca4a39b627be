namespace SymmetryLab.Web.Api;

/// <summary>Every refusal: the message (that of <c>symlab train</c> for the same mistake) and the field it names.</summary>
internal sealed record ErrorAnswer(string Error, string Field);
