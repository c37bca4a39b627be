using SymmetryLab.Data;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Lab;

/// <summary>
/// The mse of a regression that ignores its inputs and always answers the mean of the training
/// targets (the targets' variance): what any mse has to beat before it says the network learned
/// something, as <see cref="MajorityBaseline"/> is for an accuracy. On a test set, the same constant's
/// mse there.
/// </summary>
/// <param name="Mean">The mean of the training targets: the constant answer.</param>
/// <param name="Train">Its mse on the training rows.</param>
/// <param name="Test">Its mse on the test rows; null without a test set.</param>
public sealed record MeanBaseline(double Mean, double Train, double? Test = null)
{
    /// <summary>The baseline of a regression target measured by mse; null for a classification target or another loss.</summary>
    public static MeanBaseline? Of(Dataset train, Dataset? test, Loss loss)
    {
        if (train.Kind != TargetKind.Continuous || loss != Loss.Mse || train.Rows == 0) return null;
        double sum = 0;
        foreach (double y in train.Y) sum += y;
        double mean = sum / train.Rows;
        return new MeanBaseline(mean, Mse(train, mean), test is null || test.Rows == 0 ? null : Mse(test, mean));
    }

    private static double Mse(Dataset d, double constant)
    {
        double sum = 0;
        foreach (double y in d.Y) sum += (y - constant) * (y - constant);
        return sum / d.Rows;
    }

    /// <summary>Whether <paramref name="cost"/> (an mse on the training rows) is lower than the constant's.</summary>
    public bool IsBeatenBy(double cost) => cost < Train;
}
