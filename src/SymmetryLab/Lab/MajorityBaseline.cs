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
        var (cls, share) = Majority(Counts(train, train.ClassCount)!, train.Rows);
        // A test set whose rows are all of one class reads as continuous on its own (one distinct value);
        // beside a class target its labels are classes all the same.
        if (test is null || test.Rows == 0 || Counts(test, train.ClassCount) is not { } testCounts) return new MajorityBaseline(cls, share);
        var (testCls, testShare) = Majority(testCounts, test.Rows);
        return new MajorityBaseline(cls, share, testCls, testShare);
    }

    /// <summary>
    /// The baseline of rows whose targets are labels 0 to <paramref name="classes"/> - 1 (a classifier's,
    /// whatever the rows alone look like: all of one class, say), or null when some target is not one.
    /// </summary>
    public static MajorityBaseline? OfClasses(Dataset rows, int classes)
    {
        if (rows.Rows == 0 || Counts(rows, classes) is not { } counts) return null;
        var (cls, share) = Majority(counts, rows.Rows);
        return new MajorityBaseline(cls, share);
    }

    /// <summary>Rows per label 0..classes-1, or null when a target is not such a label.</summary>
    private static int[]? Counts(Dataset d, int classes)
    {
        var counts = new int[classes];
        foreach (double v in d.Y)
        {
            if (!(v >= 0 && v < classes && v == Math.Floor(v))) return null;
            counts[(int)v]++;
        }
        return counts;
    }

    private static (int Class, double Share) Majority(int[] counts, int rows)
    {
        int majority = 0;
        for (int k = 1; k < counts.Length; k++)
            if (counts[k] > counts[majority]) majority = k;
        return (majority, (double)counts[majority] / rows);
    }

    /// <summary>Whether <paramref name="accuracy"/> on the training rows does better than always answering their majority class.</summary>
    public bool IsBeatenBy(double accuracy) => accuracy > Train;
}
