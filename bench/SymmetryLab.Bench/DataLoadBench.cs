using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Numerics;

namespace SymmetryLab.Bench;

/// <summary>
/// Whole-process measurement of loading an MNIST IDX images file (issue 4: the Fashion-MNIST training set,
/// 60,000 x 784, should load in under 2 s with no more memory than the feature array plus a small constant).
/// Run it in a fresh process, once per measurement: <c>dotnet SymmetryLab.Bench.dll data-load [IMAGES-FILE]</c>.
/// Without a file it uses Debian's <c>dataset-fashion-mnist</c> copy if installed, else writes a synthetic
/// 60,000-image gzip IDX pair to a temporary folder (sparse, like real digits, so it compresses alike).
/// Prints one JSON object: rows, features, seconds, bytes allocated during the load, the feature array's
/// own size, their difference, and the process's peak working set.
/// </summary>
public static class DataLoadBench
{
    public const string DebianFashionTrain = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

    public static int Run(string[] args, TextWriter output)
    {
        string? temp = null;
        string path;
        if (args.Length > 0) path = args[0];
        else if (File.Exists(DebianFashionTrain)) path = DebianFashionTrain;
        else
        {
            temp = Directory.CreateTempSubdirectory("symlab-bench-").FullName;
            path = WriteSynthetic(temp, 60_000);
        }
        try
        {
            // Warm the code paths on a tiny file so the measurement is of loading, not of the JIT.
            using (var warm = new TempPair(100)) IdxReader.Read(warm.Images);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var data = IdxReader.Read(path);
            clock.Stop();
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            long arrayBytes = (long)data.X.Length * sizeof(double);
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var result = new
            {
                file = path,
                synthetic = temp is not null,
                rows = data.Rows,
                features = data.Features,
                seconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
                allocatedBytes = allocated,
                featureArrayBytes = arrayBytes,
                overheadBytes = allocated - arrayBytes,
                peakWorkingSetBytes = process.PeakWorkingSet64,
            };
            output.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            GC.KeepAlive(data);
            return 0;
        }
        finally
        {
            if (temp is not null) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Writes NAME-images-idx3-ubyte.gz and its labels; about 80% of pixels are 0, like real digits.</summary>
    public static string WriteSynthetic(string dir, int count)
    {
        var rng = Rng.Stream(1, RngStream.Generator);
        string images = Path.Combine(dir, "synthetic-images-idx3-ubyte.gz");
        using (var gz = new GZipStream(File.Create(images), CompressionLevel.Optimal))
        {
            gz.Write([0, 0, 8, 3]);
            foreach (int v in new[] { count, 28, 28 }) gz.Write([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
            var item = new byte[784];
            for (int i = 0; i < count; i++)
            {
                for (int p = 0; p < item.Length; p++) item[p] = rng.NextDouble() < 0.8 ? (byte)0 : (byte)rng.NextInt(256);
                gz.Write(item);
            }
        }
        using (var gz = new GZipStream(File.Create(Path.Combine(dir, "synthetic-labels-idx1-ubyte.gz")), CompressionLevel.Optimal))
        {
            gz.Write([0, 0, 8, 1, (byte)(count >> 24), (byte)(count >> 16), (byte)(count >> 8), (byte)count]);
            for (int i = 0; i < count; i++) gz.WriteByte((byte)(i % 10));
        }
        return images;
    }

    private sealed class TempPair : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("symlab-bench-warm-").FullName;

        public TempPair(int count) => Images = WriteSynthetic(_dir, count);

        public string Images { get; }

        public void Dispose() => Directory.Delete(_dir, recursive: true);
    }
}
