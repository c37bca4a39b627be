using SymmetryLab.Data;

namespace SymmetryLab.Lab;

/// <summary>
/// The accuracy of a classifier that ignores its inputs and always answers the most common class: what
/// any accuracy has to beat before it says the network learned something. On coffee (78.5% bad roasts)
/// a network at 78.5% may have learned nothing at all. On a test set the baseline is that set's own
/// most common class, the best a constant answer can score there.
/// </summary>
/// <param name="Class">The majority class of the training rows (the lowest label on a tie).</param>
/// <param name="Train">Its share of the training rows.</param>
/// <param name="TestClass">The majority class of the test rows, or null without a test set.</param>
/// <param name="Test">Its share of the test rows: the best any constant answer scores there (null without a test set).</param>
public sealed record MajorityBaseline(int Class, double Train, int? TestClass = null, double? Test = null)
{
    /// <summary>The baseline of a classification target, or null for a regression target.</summary>
    public static MajorityBaseline? Of(Dataset train, Dataset? test = null)
    {
        if (train.Kind == TargetKind.Continuous || train.Rows == 0) return null;
        var (cls, share) = Majority(train);
        if (test is null || test.Rows == 0 || test.Kind == TargetKind.Continuous) return new MajorityBaseline(cls, share);
        var (testCls, testShare) = Majority(test);
        return new MajorityBaseline(cls, share, testCls, testShare);
    }

    private static (int Class, double Share) Majority(Dataset d)
    {
        var counts = d.ClassCounts();
        int majority = 0;
        for (int k = 1; k < counts.Length; k++)
            if (counts[k] > counts[majority]) majority = k;
        return (majority, (double)counts[majority] / d.Rows);
    }

    /// <summary>Whether <paramref name="accuracy"/> on the training rows does better than always answering their majority class.</summary>
    public bool IsBeatenBy(double accuracy) => accuracy > Train;
}
