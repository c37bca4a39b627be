namespace SymmetryLab.Engine.Optimizers;

/// <summary>PyTorch's SGD with momentum 0.9 (no dampening, no Nesterov): v := 0.9 v + g; w := w - lr v.</summary>
public sealed class Momentum<T>(double learningRate) : Optimizer<T>(learningRate)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public const double Beta = 0.9;
    private readonly T _lr = T.CreateChecked(learningRate), _beta = T.CreateChecked(Beta);
    private readonly List<T[]> _velocity = [];

    public override string Name => "momentum";

    public override void Register(int slot, int length)
    {
        while (_velocity.Count <= slot) _velocity.Add([]);
        _velocity[slot] = new T[length];
    }

    public override void Update(int slot, Span<T> values, ReadOnlySpan<T> gradients)
    {
        var v = _velocity[slot];
        for (int i = 0; i < values.Length; i++)
        {
            // PyTorch starts the buffer at g, which is 0.9 * 0 + g.
            v[i] = _beta * v[i] + gradients[i];
            values[i] -= _lr * v[i];
        }
    }
}
