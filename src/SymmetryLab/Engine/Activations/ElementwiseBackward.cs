using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SymmetryLab.Engine.Activations;

/// <summary>
/// The chain rule through an element-wise activation, delta = dJ/da * g'(z), a vector at a time:
///     sigmoid: delta = dA * (a * (1 - a))      tanh: delta = dA * (1 - a * a)
///     relu / leaky relu: delta = z &gt; 0 ? dA : slope * dA   (slope 0 for relu gives +0)
/// </summary>
/// <remarks>
/// Only multiplications, subtractions and a select, in the same order in the vector body and the
/// scalar tail (the JIT never contracts a*b+c into an FMA on its own), so an element gets the same
/// bits wherever it sits: identical units stay identical.
/// </remarks>
internal static class ElementwiseBackward
{
    public static void Sigmoid<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> dA, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T pa = ref MemoryMarshal.GetReference(a), pd = ref MemoryMarshal.GetReference(dA), po = ref MemoryMarshal.GetReference(delta);
        int n = a.Length, i = 0, w = Vector<T>.Count;
        var one = Vector<T>.One;
        for (; i + w <= n; i += w)
        {
            var ai = Vector.LoadUnsafe(ref pa, (nuint)i);
            (Vector.LoadUnsafe(ref pd, (nuint)i) * (ai * (one - ai))).StoreUnsafe(ref po, (nuint)i);
        }
        for (; i < n; i++)
        {
            T ai = Unsafe.Add(ref pa, i);
            Unsafe.Add(ref po, i) = Unsafe.Add(ref pd, i) * (ai * (T.One - ai));
        }
    }

    public static void Tanh<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> dA, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T pa = ref MemoryMarshal.GetReference(a), pd = ref MemoryMarshal.GetReference(dA), po = ref MemoryMarshal.GetReference(delta);
        int n = a.Length, i = 0, w = Vector<T>.Count;
        var one = Vector<T>.One;
        for (; i + w <= n; i += w)
        {
            var ai = Vector.LoadUnsafe(ref pa, (nuint)i);
            (Vector.LoadUnsafe(ref pd, (nuint)i) * (one - ai * ai)).StoreUnsafe(ref po, (nuint)i);
        }
        for (; i < n; i++)
        {
            T ai = Unsafe.Add(ref pa, i);
            Unsafe.Add(ref po, i) = Unsafe.Add(ref pd, i) * (T.One - ai * ai);
        }
    }

    public static void LeakyRelu<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> dA, Span<T> delta, T slope) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T pz = ref MemoryMarshal.GetReference(z), pd = ref MemoryMarshal.GetReference(dA), po = ref MemoryMarshal.GetReference(delta);
        int n = z.Length, i = 0, w = Vector<T>.Count;
        bool relu = slope == T.Zero;
        var vSlope = new Vector<T>(slope);
        for (; i + w <= n; i += w)
        {
            var d = Vector.LoadUnsafe(ref pd, (nuint)i);
            var positive = Vector.GreaterThan(Vector.LoadUnsafe(ref pz, (nuint)i), Vector<T>.Zero);
            Vector.ConditionalSelect(positive, d, relu ? Vector<T>.Zero : vSlope * d).StoreUnsafe(ref po, (nuint)i);
        }
        for (; i < n; i++)
        {
            T d = Unsafe.Add(ref pd, i);
            Unsafe.Add(ref po, i) = Unsafe.Add(ref pz, i) > T.Zero ? d : relu ? T.Zero : slope * d;
        }
    }
}
