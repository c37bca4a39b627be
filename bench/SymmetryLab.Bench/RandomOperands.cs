using SymmetryLab.Numerics;

namespace SymmetryLab.Bench;

/// <summary>Operands of the product diagnostics: standard normal draws in float32 from our own generator.</summary>
internal static class RandomOperands
{
    /// <summary><paramref name="length"/> draws from <paramref name="rng"/>, in order.</summary>
    public static float[] Normal(Rng rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextNormal();
        return x;
    }
}
