using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SymmetryLab.Engine.Optimizers;

/// <summary>w := w - lr * dJ/dw. "gd" on the whole batch, "sgd" on minibatches: the rule is the same.</summary>
internal sealed class GradientDescent<T>(double learningRate, string name) : Optimizer<T>(learningRate)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _lr = T.CreateChecked(learningRate);

    public override string Name => name;
    public override bool FullBatchByDefault => name == "gd";
    public override void Register(int slot, int length) { }

    public override void Update(int slot, Span<T> values, ReadOnlySpan<T> gradients) => UpdateSlice(slot, 0, values, gradients);

    protected override bool SupportsSlices => true;

    protected override void UpdateSlice(int slot, int offset, Span<T> values, ReadOnlySpan<T> gradients)
    {
        // Multiply then subtract, two roundings, in the vector body and the tail alike.
        ref T w = ref MemoryMarshal.GetReference(values);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        int n = values.Length, i = 0, width = Vector<T>.Count;
        var lr = new Vector<T>(_lr);
        for (; i + width <= n; i += width)
            (Vector.LoadUnsafe(ref w, (nuint)i) - lr * Vector.LoadUnsafe(ref g, (nuint)i)).StoreUnsafe(ref w, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref w, i) -= _lr * Unsafe.Add(ref g, i);
    }
}
