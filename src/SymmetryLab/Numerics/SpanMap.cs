using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SymmetryLab.Numerics;

/// <summary>An element-wise function of doubles: a vector kernel and the same operations on one number.</summary>
internal interface IDoubleFunction
{
    static abstract double Invoke(double x);
    static abstract V Invoke<V>(V x) where V : unmanaged, IDoubleVector<V>;
}

/// <summary>An element-wise function of floats: a vector kernel and the same operations on one number.</summary>
internal interface IFloatFunction
{
    static abstract float Invoke(float x);
    static abstract VF Invoke<VF, VD>(VF x) where VF : unmanaged, IFloatVector<VF, VD> where VD : unmanaged, IDoubleVector<VD>;
}

/// <summary>
/// y[i] = f(x[i]) over a span, with the widest vectors the machine accelerates (512 bits, else
/// <c>Vector&lt;T&gt;</c>), and the scalar function only for a span shorter than one vector or a machine
/// without vector hardware. Because every lane computes f of its own value alone, the last, partial
/// vector is computed as a whole vector ending at the span's end, overlapping elements already done
/// with the same results; it is loaded before anything is stored, so y may be x. The kernel appears
/// once per method (each width its own method, never inlined into Apply): inlined twice into one
/// method, a long kernel ran past the JIT's inlining budget, which then left even the vector wrappers
/// as calls.
/// </summary>
internal static class SpanMap
{
    public static void Apply<F>(ReadOnlySpan<double> x, Span<double> y) where F : IDoubleFunction
    {
        y = y[..x.Length];
        if (Vector512.IsHardwareAccelerated && x.Length >= DoubleVector512.Count) ApplyVectors<F, DoubleVector512>(x, y);
        else if (Vector.IsHardwareAccelerated && x.Length >= DoubleVectorN.Count) ApplyVectors<F, DoubleVectorN>(x, y);
        else for (int i = 0; i < x.Length; i++) y[i] = F.Invoke(x[i]);
    }

    public static void Apply<F>(ReadOnlySpan<float> x, Span<float> y) where F : IFloatFunction
    {
        y = y[..x.Length];
        if (Vector512.IsHardwareAccelerated && x.Length >= FloatVector512.Count) ApplyVectors<F, FloatVector512, DoubleVector512>(x, y);
        else if (Vector512.IsHardwareAccelerated && Vector<float>.Count == 8 && x.Length >= 8) ApplyVectors<F, FloatVectorN<DoubleVector512>, DoubleVector512>(x, y);
        else if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count) ApplyVectors<F, FloatVectorN<DoubleVectorN>, DoubleVectorN>(x, y);
        else for (int i = 0; i < x.Length; i++) y[i] = F.Invoke(x[i]);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ApplyVectors<F, V>(ReadOnlySpan<double> x, Span<double> y) where F : IDoubleFunction where V : unmanaged, IDoubleVector<V>
    {
        ref double xs = ref MemoryMarshal.GetReference(x), ys = ref MemoryMarshal.GetReference(y);
        int last = x.Length - V.Count;
        var lastInput = V.Load(ref Unsafe.Add(ref xs, last));
        for (int i = 0; ; i += V.Count)
        {
            bool final = i >= last;
            if (final) i = last;
            F.Invoke(final ? lastInput : V.Load(ref Unsafe.Add(ref xs, i))).Store(ref Unsafe.Add(ref ys, i));
            if (final) return;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ApplyVectors<F, VF, VD>(ReadOnlySpan<float> x, Span<float> y)
        where F : IFloatFunction where VF : unmanaged, IFloatVector<VF, VD> where VD : unmanaged, IDoubleVector<VD>
    {
        ref float xs = ref MemoryMarshal.GetReference(x), ys = ref MemoryMarshal.GetReference(y);
        int last = x.Length - VF.Count;
        var lastInput = VF.Load(ref Unsafe.Add(ref xs, last));
        for (int i = 0; ; i += VF.Count)
        {
            bool final = i >= last;
            if (final) i = last;
            F.Invoke<VF, VD>(final ? lastInput : VF.Load(ref Unsafe.Add(ref xs, i))).Store(ref Unsafe.Add(ref ys, i));
            if (final) return;
        }
    }
}
