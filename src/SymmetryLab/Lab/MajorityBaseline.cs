using SymmetryLab.Data;

namespace SymmetryLab.Lab;

/// <summary>
/// The accuracy of a classifier that ignores its inputs and always answers the training set's most
/// common class: what any accuracy has to beat before it says the network learned something. On
/// coffee (78.5% bad roasts) a network at 78.5% may have learned nothing at all.
/// </summary>
/// <param name="Class">The majority class of the training rows (the lowest label on a tie).</param>
/// <param name="Train">Its share of the training rows.</param>
/// <param name="Test">Its share of the test rows (the same class: a constant answer cannot know the test set's own majority), or null without a test set.</param>
public sealed record MajorityBaseline(int Class, double Train, double? Test)
{
    /// <summary>The baseline of a classification target, or null for a regression target.</summary>
    public static MajorityBaseline? Of(Dataset train, Dataset? test = null)
    {
        if (train.Kind == TargetKind.Continuous || train.Rows == 0) return null;
        var counts = train.ClassCounts();
        int majority = 0;
        for (int k = 1; k < counts.Length; k++)
            if (counts[k] > counts[majority]) majority = k;
        double? testShare = test is null || test.Rows == 0 ? null : (double)test.Y.Count(y => y == majority) / test.Rows;
        return new MajorityBaseline(majority, (double)counts[majority] / train.Rows, testShare);
    }

    /// <summary>Whether <paramref name="accuracy"/> does better than always answering the majority class.</summary>
    public bool IsBeatenBy(double accuracy) => accuracy > Train;

    /// <summary>"always class 0: 78.5%", for printing beside an accuracy.</summary>
    public string Describe(double share) => $"always class {Class}: {share.ToString("P1", System.Globalization.CultureInfo.InvariantCulture)}";
}
