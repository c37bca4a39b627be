namespace SymmetryLab.Engine.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015) exactly as PyTorch's torch.optim.Adam (no amsgrad, no weight decay):
///     m := b1 m + (1 - b1) g,      v := b2 v + (1 - b2) g^2
///     w := w - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
/// with b1 = 0.9, b2 = 0.999, eps = 1e-8 added after the square root.
/// </summary>
public sealed class Adam<T>(double learningRate) : Optimizer<T>(learningRate)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private readonly List<(T[] M, T[] V)> _moments = [];
    private readonly T _b1 = T.CreateChecked(Beta1), _b2 = T.CreateChecked(Beta2), _eps = T.CreateChecked(Epsilon);

    public override string Name => "adam";

    public override void Register(int slot, int length)
    {
        while (_moments.Count <= slot) _moments.Add(([], []));
        _moments[slot] = (new T[length], new T[length]);
    }

    public override void Update(int slot, Span<T> values, ReadOnlySpan<T> gradients)
    {
        var (m, v) = _moments[slot];
        // The bias corrections are scalars of the step, computed in double as PyTorch does in Python floats.
        double correction1 = 1 - Math.Pow(Beta1, Steps);
        double correction2 = 1 - Math.Pow(Beta2, Steps);
        T stepSize = T.CreateChecked(LearningRate / correction1);
        T sqrtCorrection2 = T.CreateChecked(Math.Sqrt(correction2));
        T oneMinusB1 = T.One - _b1, oneMinusB2 = T.One - _b2;
        for (int i = 0; i < values.Length; i++)
        {
            T g = gradients[i];
            m[i] += (g - m[i]) * oneMinusB1; // PyTorch's lerp form of b1 m + (1 - b1) g
            v[i] = _b2 * v[i] + oneMinusB2 * g * g;
            T denominator = T.Sqrt(v[i]) / sqrtCorrection2 + _eps;
            values[i] -= stepSize * (m[i] / denominator);
        }
    }
}
