using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Numerics;

/// <summary>
/// The block transpose against the index formula dst[c * dstStride + r] = src[r * srcStride + c],
/// for every row count from 1 to a whole block: the rows asked for land where the formula says, and
/// nothing else in the destination changes (a 6-row panel sits between other panels' values).
/// </summary>
public class BlockTransposeTests
{
    [Fact]
    public void Floats_land_where_the_formula_says_and_nothing_else_moves() => Check<float>();

    [Fact]
    public void Doubles_land_where_the_formula_says_and_nothing_else_moves() => Check<double>();

    private static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!BlockTranspose.IsSupported<T>()) return; // packing takes the scalar loop there
        int t = BlockTranspose.Size<T>(), srcStride = t + 3, dstStride = t + 5;
        var src = Enumerable.Range(0, t * srcStride).Select(i => T.CreateChecked(i + 1)).ToArray();
        var sentinel = T.CreateChecked(-7);
        for (int rows = 1; rows <= t; rows++)
        {
            var dst = Enumerable.Repeat(sentinel, t * dstStride + 2).ToArray();
            BlockTranspose.Run(ref src[0], srcStride, ref dst[1], dstStride, rows);
            for (int i = 0; i < dst.Length; i++)
            {
                int at = i - 1, c = at / dstStride, r = at % dstStride;
                bool written = at >= 0 && c < t && r < rows;
                Assert.Equal(written ? src[r * srcStride + c] : sentinel, dst[i]);
            }
        }
    }
}
