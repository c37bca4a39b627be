namespace SymmetryLab.Web.Api;

/// <summary>
/// The "history" event: the points measured since the last one sent, from point <paramref name="From"/> of
/// the run's history, each <c>[step, loss, accuracy, testLoss, testAccuracy]</c> (null where not measured or
/// not finite).
/// </summary>
internal sealed record HistoryEvent(int Generation, int From, IEnumerable<double?[]> Points);
