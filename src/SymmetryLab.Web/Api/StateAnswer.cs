using SymmetryLab.Web.State;

namespace SymmetryLab.Web.Api;

/// <summary>
/// The answer to a state posted (a session made or its state replaced): the state the request asked for
/// (another request may already have replaced it) and the generation of its run.
/// </summary>
internal sealed record StateAnswer(string Session, int Generation, PlaygroundState State);

/// <summary>
/// <c>GET /api/sessions/ID/state</c>: the run in place, its step, the <c>symlab train</c> line that
/// reproduces it, why training stopped (it diverged) and a failure inside the server (null normally).
/// </summary>
internal sealed record SessionStateAnswer(string Session, int Generation, PlaygroundState State, long Step, int StepsPerEpoch, string Command, string? Stopped, string? Error);
