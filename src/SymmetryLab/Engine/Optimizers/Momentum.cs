using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SymmetryLab.Engine.Optimizers;

/// <summary>
/// PyTorch's SGD with momentum 0.9 (no dampening, no Nesterov): v := 0.9 v + g; w := w - lr v, with a
/// velocity too small to move a weight set to zero (<see cref="Subnormals{T}"/>).
/// </summary>
internal sealed class Momentum<T>(double learningRate) : Optimizer<T>(learningRate)
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

    public override void Update(int slot, Span<T> values, ReadOnlySpan<T> gradients) => UpdateSlice(slot, 0, values, gradients);

    protected override bool SupportsSlices => true;

    protected override void UpdateSlice(int slot, int offset, Span<T> values, ReadOnlySpan<T> gradients)
    {
        var v = _velocity[slot];
        // PyTorch starts the buffer at g, which is 0.9 * 0 + g. Same operations in the vector body and the tail.
        ref T w = ref MemoryMarshal.GetReference(values);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        ref T v0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(v), offset);
        int n = values.Length, i = 0, width = Vector<T>.Count;
        Vector<T> lr = new(_lr), beta = new(_beta), floor = new(Subnormals<T>.StateFloor);
        for (; i + width <= n; i += width)
        {
            var vi = Subnormals<T>.Flush(beta * Vector.LoadUnsafe(ref v0, (nuint)i) + Vector.LoadUnsafe(ref g, (nuint)i), floor);
            vi.StoreUnsafe(ref v0, (nuint)i);
            (Vector.LoadUnsafe(ref w, (nuint)i) - lr * vi).StoreUnsafe(ref w, (nuint)i);
        }
        for (; i < n; i++)
        {
            ref T vi = ref Unsafe.Add(ref v0, i);
            vi = Subnormals<T>.Flush(_beta * vi + Unsafe.Add(ref g, i), Subnormals<T>.StateFloor);
            Unsafe.Add(ref w, i) -= _lr * vi;
        }
    }
}
