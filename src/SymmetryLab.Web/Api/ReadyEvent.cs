namespace SymmetryLab.Web.Api;

/// <summary>The first event of a stream, sent at once so that the page's EventSource opens: the session it is of.</summary>
internal sealed record ReadyEvent(string Session);
