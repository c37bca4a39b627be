using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SymmetryLab.Numerics;

/// <summary>
/// The matrix product for tiny shapes (a 2-3-1 network, an output layer of one unit), where packing
/// and zero-padded tiles would cost more than the arithmetic:
///     C[r, c] := FMA(A[r, p], B[p, c], C[r, c])   for p = 0, 1, ..., k - 1, from C = +0,
/// the same per-element sequence as <see cref="GemmMicroKernel"/>, so the two paths give the same bits.
/// </summary>
/// <remarks>
/// When B's rows are contiguous, a row of C is updated a vector at a time (an axpy per p); the
/// scalar tail uses T.FusedMultiplyAdd, which rounds exactly as a vector lane's FMA does. Otherwise
/// each element is a scalar chain over p.
/// </remarks>
internal static class GemmSmall
{
    public static void Run<T>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int ldc, int k, int i0, int i1, int j0, int j1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T a0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a.Data), a.Offset);
        ref T b0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(b.Data), b.Offset);
        ref T c0 = ref MemoryMarshal.GetArrayDataReference(c);
        int n = j1 - j0;
        if (b.ColumnStride == 1)
        {
            int width = Vector<T>.Count;
            for (int i = i0; i < i1; i++)
            {
                ref T row = ref Unsafe.Add(ref c0, i * ldc + j0);
                MemoryMarshal.CreateSpan(ref row, n).Clear();
                for (int p = 0; p < k; p++)
                {
                    T x = Unsafe.Add(ref a0, i * a.RowStride + p * a.ColumnStride);
                    ref T bp = ref Unsafe.Add(ref b0, p * b.RowStride + j0);
                    var vx = new Vector<T>(x);
                    int j = 0;
                    for (; j + width <= n; j += width)
                        Fma(vx, Vector.LoadUnsafe(ref bp, (nuint)j), Vector.LoadUnsafe(ref row, (nuint)j)).StoreUnsafe(ref row, (nuint)j);
                    for (; j < n; j++)
                        Unsafe.Add(ref row, j) = T.FusedMultiplyAdd(x, Unsafe.Add(ref bp, j), Unsafe.Add(ref row, j));
                }
            }
            return;
        }
        for (int i = i0; i < i1; i++)
            for (int j = j0; j < j1; j++)
            {
                T s = T.Zero;
                for (int p = 0; p < k; p++)
                    s = T.FusedMultiplyAdd(Unsafe.Add(ref a0, i * a.RowStride + p * a.ColumnStride), Unsafe.Add(ref b0, p * b.RowStride + j * b.ColumnStride), s);
                Unsafe.Add(ref c0, i * ldc + j) = s;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Fma<T>(Vector<T> x, Vector<T> y, Vector<T> acc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), acc.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), acc.As<T, double>()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }
}
