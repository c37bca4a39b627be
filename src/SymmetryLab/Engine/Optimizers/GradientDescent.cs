namespace SymmetryLab.Engine.Optimizers;

/// <summary>w := w - lr * dJ/dw. "gd" on the whole batch, "sgd" on minibatches: the rule is the same.</summary>
public sealed class GradientDescent<T>(double learningRate, string name) : Optimizer<T>(learningRate)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _lr = T.CreateChecked(learningRate);

    public override string Name => name;
    public override bool FullBatchByDefault => name == "gd";
    public override void Register(int slot, int length) { }

    public override void Update(int slot, Span<T> values, ReadOnlySpan<T> gradients)
    {
        for (int i = 0; i < values.Length; i++) values[i] -= _lr * gradients[i];
    }
}
