namespace SymmetryLab.Web.Api;

/// <summary>An uploaded CSV as read: its name, rows, features, the target column and its classes.</summary>
internal sealed record UploadAnswer(string Name, int Rows, int Features, string Target, int Classes);
