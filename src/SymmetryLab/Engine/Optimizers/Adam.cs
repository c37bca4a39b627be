using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015) exactly as PyTorch's torch.optim.Adam (no amsgrad, no weight decay):
///     m := b1 m + (1 - b1) g,      v := b2 v + (1 - b2) g^2
///     w := w - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
/// with b1 = 0.9, b2 = 0.999, eps = 1e-8 added after the square root; moments too small to move a
/// weight are set to zero rather than left to decay through the slow subnormal numbers (<see cref="Subnormals{T}"/>).
/// </summary>
internal sealed class Adam<T>(double learningRate) : Optimizer<T>(learningRate)
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

    public override void Update(int slot, Span<T> values, ReadOnlySpan<T> gradients) => UpdateSlice(slot, 0, values, gradients);

    protected override bool SupportsSlices => true;

    protected override void UpdateSlice(int slot, int offset, Span<T> values, ReadOnlySpan<T> gradients)
    {
        var (m, v) = _moments[slot];
        // The bias corrections are scalars of the step, computed in double as PyTorch does in Python floats
        // (b^t correctly rounded without the C library's pow, so no machine rounds them differently).
        double correction1 = 1 - ExactPower.Of(Beta1, Steps);
        double correction2 = 1 - ExactPower.Of(Beta2, Steps);
        T stepSize = T.CreateChecked(LearningRate / correction1);
        T sqrtCorrection2 = T.CreateChecked(Math.Sqrt(correction2));
        T oneMinusB1 = T.One - _b1, oneMinusB2 = T.One - _b2;
        // The same operations in the same order in the vector body and the scalar tail (+, -, *, /,
        // sqrt: each rounds identically in a lane and in a scalar), so equal parameters stay equal.
        ref T w = ref MemoryMarshal.GetReference(values);
        ref T gr = ref MemoryMarshal.GetReference(gradients);
        ref T m0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(m), offset);
        ref T v0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(v), offset);
        int n = values.Length, i = 0, width = Vector<T>.Count;
        Vector<T> vb2 = new(_b2), vOneMinusB1 = new(oneMinusB1), vOneMinusB2 = new(oneMinusB2);
        Vector<T> vSqrtCorrection2 = new(sqrtCorrection2), vEps = new(_eps), vStepSize = new(stepSize);
        T stateFloor = Subnormals<T>.StateFloor, squareFloor = Subnormals<T>.SquareFloor;
        Vector<T> vStateFloor = new(stateFloor), vSquareFloor = new(squareFloor);
        for (; i + width <= n; i += width)
        {
            var g = Vector.LoadUnsafe(ref gr, (nuint)i);
            var mi = Vector.LoadUnsafe(ref m0, (nuint)i);
            mi = Subnormals<T>.Flush(mi + (g - mi) * vOneMinusB1, vStateFloor);
            var gs = Subnormals<T>.Flush(g, vSquareFloor);
            var vi = Subnormals<T>.Flush(vb2 * Vector.LoadUnsafe(ref v0, (nuint)i) + vOneMinusB2 * gs * gs, vStateFloor);
            var denominator = Vector.SquareRoot(vi) / vSqrtCorrection2 + vEps;
            (Vector.LoadUnsafe(ref w, (nuint)i) - vStepSize * (mi / denominator)).StoreUnsafe(ref w, (nuint)i);
            mi.StoreUnsafe(ref m0, (nuint)i);
            vi.StoreUnsafe(ref v0, (nuint)i);
        }
        for (; i < n; i++)
        {
            T g = Unsafe.Add(ref gr, i);
            ref T mi = ref Unsafe.Add(ref m0, i);
            ref T vi = ref Unsafe.Add(ref v0, i);
            mi = Subnormals<T>.Flush(mi + (g - mi) * oneMinusB1, stateFloor); // PyTorch's lerp form of b1 m + (1 - b1) g
            T gs = Subnormals<T>.Flush(g, squareFloor);
            vi = Subnormals<T>.Flush(_b2 * vi + oneMinusB2 * gs * gs, stateFloor);
            T denominator = T.Sqrt(vi) / sqrtCorrection2 + _eps;
            Unsafe.Add(ref w, i) -= stepSize * (mi / denominator);
        }
    }
}
