using System.Runtime.CompilerServices;

namespace SymmetryLab.Numerics;

/// <summary>
/// Error-free transformations: a sum or a product of two doubles as the rounded result plus the exact
/// rounding error, both doubles (Knuth's TwoSum, Dekker's FastTwoSum, the product's error by a fused
/// multiply-add). The building blocks of double-double arithmetic, exact on every IEEE 754 machine.
/// </summary>
internal static class ErrorFreeSums
{
    /// <summary>a + b = s + e exactly, s = RN(a + b), for any a and b (6 operations).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Sum, double Error) TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        return (s, (a - (s - bb)) + (b - bb));
    }

    /// <summary>a + b = s + e exactly when a is zero or |a| &gt;= |b| (3 operations).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Sum, double Error) FastTwoSum(double a, double b)
    {
        double s = a + b;
        return (s, b - (s - a));
    }

    /// <summary>a b = p + e exactly, p = RN(a b) (no underflow in the arguments used here).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Product, double Error) TwoProduct(double a, double b)
    {
        double p = a * b;
        return (p, Math.FusedMultiplyAdd(a, b, -p));
    }
}
