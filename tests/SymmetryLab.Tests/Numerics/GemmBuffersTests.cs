using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Numerics;

public class GemmBuffersTests
{
    // The packed panels and the edge tile start on a cache line (issue 17), on every thread and in
    // both precisions, and keep their place when the same thread asks again.
    [Fact]
    public void PackingBuffersStartOnA64ByteBoundaryOnEveryThread()
    {
        void Check()
        {
            var f = GemmBuffers<float>.ForThisThread(Gemm.RowTile, Gemm.ColumnTile<float>());
            var d = GemmBuffers<double>.ForThisThread(Gemm.RowTile, Gemm.ColumnTile<double>());
            Assert.Equal(0, GemmBuffers<float>.Address(f.A) % 64);
            Assert.Equal(0, GemmBuffers<float>.Address(f.B) % 64);
            Assert.Equal(0, GemmBuffers<float>.Address(f.Tile) % 64);
            Assert.Equal(0, GemmBuffers<double>.Address(d.A) % 64);
            Assert.Equal(0, GemmBuffers<double>.Address(d.B) % 64);
            Assert.Equal(0, GemmBuffers<double>.Address(d.Tile) % 64);
            Assert.True(f.B.Length >= (Gemm.NBlock + Gemm.ColumnTile<float>()) * Gemm.KBlock);
            long b = GemmBuffers<float>.Address(f.B);
            Assert.Equal(b, GemmBuffers<float>.Address(GemmBuffers<float>.ForThisThread(Gemm.RowTile, Gemm.ColumnTile<float>()).B));
        }
        Check();
        Exception? failure = null;
        var other = new Thread(() =>
        {
            try { Check(); }
            catch (Exception e) { failure = e; }
        });
        other.Start();
        other.Join();
        Assert.Null(failure);
    }
}
