using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine.Activations;

/// <summary>
/// Forward and backward passes of the activations over a batch (rows = samples, columns = units).
/// Every element goes through the same code whatever its column, so equal units get equal bits.
/// </summary>
internal static class ActivationFunctions
{
    public static readonly double LeakySlope = 0.01;

    /// <summary>a = g(z) for <paramref name="rows"/> samples of <paramref name="units"/> units.</summary>
    public static void Forward<T>(Activation g, ReadOnlySpan<T> z, Span<T> a, int rows, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * units;
        z = z[..n];
        a = a[..n];
        switch (g)
        {
            case Activation.Linear:
                z.CopyTo(a);
                break;
            case Activation.Sigmoid:
                ElementwiseMath.Sigmoid(z, a);
                break;
            case Activation.Tanh:
                ElementwiseMath.Tanh(z, a);
                break;
            case Activation.Relu:
                TensorPrimitives.Max(z, T.Zero, a);
                break;
            case Activation.LeakyRelu:
                T slope = T.CreateChecked(LeakySlope);
                for (int i = 0; i < n; i++) a[i] = z[i] > T.Zero ? z[i] : slope * z[i];
                break;
            case Activation.Softmax:
                // Shift each row by its largest logit, then one exponential call over the whole batch
                // (one code path for every element, so equal logits give equal bits), then normalize.
                for (int r = 0; r < rows; r++)
                {
                    var zr = z.Slice(r * units, units);
                    TensorPrimitives.Subtract(zr, TensorPrimitives.Max(zr), a.Slice(r * units, units));
                }
                ElementwiseMath.Exp<T>(a, a);
                for (int r = 0; r < rows; r++)
                {
                    var ar = a.Slice(r * units, units);
                    T sum = T.Zero;
                    for (int k = 0; k < units; k++) sum += ar[k];
                    for (int k = 0; k < units; k++) ar[k] /= sum;
                }
                break;
        }
    }

    /// <summary>
    /// z := z + bias (row by row), then a = g(z): the layer's forward pass after the product.
    /// The additions round the same in a vector lane and in a scalar, so every unit gets the same bits.
    /// </summary>
    public static void AddBiasAndForward<T>(Activation g, Span<T> z, ReadOnlySpan<T> bias, Span<T> a, int rows, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T z0 = ref MemoryMarshal.GetReference(z);
        ref T b0 = ref MemoryMarshal.GetReference(bias);
        int width = Vector<T>.Count, r = 0;
        if (units < width)
        {
            // Narrower than a vector (a 2-3-1 network): width rows at a time, against the bias repeated
            // width times, which lines up with the rows of any units.
            Span<T> tiled = stackalloc T[units * width];
            for (int i = 0; i < tiled.Length; i++) tiled[i] = bias[i % units];
            ref T t0 = ref MemoryMarshal.GetReference(tiled);
            for (; r + width <= rows; r += width)
            {
                ref T block = ref Unsafe.Add(ref z0, r * units);
                for (int v = 0; v < units; v++)
                    (Vector.LoadUnsafe(ref block, (nuint)(v * width)) + Vector.LoadUnsafe(ref t0, (nuint)(v * width))).StoreUnsafe(ref block, (nuint)(v * width));
            }
        }
        for (; r < rows; r++)
        {
            ref T row = ref Unsafe.Add(ref z0, r * units);
            int j = 0;
            for (; j + width <= units; j += width)
                (Vector.LoadUnsafe(ref row, (nuint)j) + Vector.LoadUnsafe(ref b0, (nuint)j)).StoreUnsafe(ref row, (nuint)j);
            for (; j < units; j++) Unsafe.Add(ref row, j) += Unsafe.Add(ref b0, j);
        }
        Forward<T>(g, z, a, rows, units);
    }

    /// <summary>sums[j] = sum_r m[r, j], adding the rows in order (the same sequence for every j).</summary>
    public static void SumRows<T>(ReadOnlySpan<T> m, Span<T> sums, int rows, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        sums = sums[..units];
        sums.Clear();
        ref T s0 = ref MemoryMarshal.GetReference(sums);
        ref T m0 = ref MemoryMarshal.GetReference(m);
        int width = Vector<T>.Count;
        for (int r = 0; r < rows; r++)
        {
            ref T row = ref Unsafe.Add(ref m0, r * units);
            int j = 0;
            for (; j + width <= units; j += width)
                (Vector.LoadUnsafe(ref s0, (nuint)j) + Vector.LoadUnsafe(ref row, (nuint)j)).StoreUnsafe(ref s0, (nuint)j);
            for (; j < units; j++) Unsafe.Add(ref s0, j) += Unsafe.Add(ref row, j);
        }
    }

    /// <summary>Softmax of one sample, shifted by its largest logit so that e^z never overflows.</summary>
    public static void Softmax<T>(ReadOnlySpan<T> z, Span<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(z);
        a = a[..z.Length];
        TensorPrimitives.Subtract(z, max, a);
        ElementwiseMath.Exp<T>(a, a);
        T sum = T.Zero;
        for (int k = 0; k < z.Length; k++) sum += a[k];
        for (int k = 0; k < z.Length; k++) a[k] /= sum;
    }

    /// <summary>
    /// The chain rule through g: delta = dJ/dz = dJ/da * g'(z), from z, a = g(z) and dJ/da.
    /// For softmax the Jacobian is full: delta_k = a_k (dJ/da_k - sum_j a_j dJ/da_j).
    /// </summary>
    public static void Backward<T>(Activation g, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> dA, Span<T> delta, int rows, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * units;
        switch (g)
        {
            case Activation.Linear:
                dA[..n].CopyTo(delta);
                break;
            case Activation.Sigmoid:
                ElementwiseBackward.Sigmoid<T>(a[..n], dA[..n], delta[..n]);
                break;
            case Activation.Tanh:
                ElementwiseBackward.Tanh<T>(a[..n], dA[..n], delta[..n]);
                break;
            case Activation.Relu:
                ElementwiseBackward.LeakyRelu<T>(z[..n], dA[..n], delta[..n], T.Zero);
                break;
            case Activation.LeakyRelu:
                ElementwiseBackward.LeakyRelu<T>(z[..n], dA[..n], delta[..n], T.CreateChecked(LeakySlope));
                break;
            case Activation.Softmax:
                for (int r = 0; r < rows; r++)
                {
                    int o = r * units;
                    T dot = T.Zero;
                    for (int k = 0; k < units; k++) dot += a[o + k] * dA[o + k];
                    for (int k = 0; k < units; k++) delta[o + k] = a[o + k] * (dA[o + k] - dot);
                }
                break;
        }
    }

    /// <summary>g'(z) for one element, given z and a = g(z) (not defined for softmax).</summary>
    public static double Derivative(Activation g, double z, double a) => g switch
    {
        Activation.Linear => 1,
        Activation.Sigmoid => a * (1 - a),
        Activation.Tanh => 1 - a * a,
        Activation.Relu => z > 0 ? 1 : 0,
        Activation.LeakyRelu => z > 0 ? 1 : LeakySlope,
        _ => throw new ArgumentException("softmax has no element-wise derivative", nameof(g)),
    };
}
