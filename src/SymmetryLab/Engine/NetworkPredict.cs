using SymmetryLab.Data;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine;

public sealed partial class Network<T>
{
    /// <summary>Rows run through the layers at a time, so a large input needs buffers for this many rows only.</summary>
    private const int PredictChunk = 1024;

    /// <summary>
    /// The outputs for raw <paramref name="rows"/> (row-major, <see cref="Inputs"/> values a row), each
    /// row normalized first by <see cref="Normalization"/> as in training. Returns a new array of
    /// rows x <see cref="Outputs"/> values that no later call overwrites (unlike <see cref="Forward(T[], int)"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A length that is not a whole number of rows.</exception>
    /// <exception cref="DataException">A value that is NaN or infinite (it would make that row's outputs NaN): the first one's row and column.</exception>
    public T[] Predict(ReadOnlySpan<double> rows)
    {
        if (rows.Length % Inputs != 0)
            throw new ArgumentException($"{rows.Length} values are not a whole number of rows of {Inputs} inputs", nameof(rows));
        int bad = IndexOfNonFinite(rows);
        if (bad >= 0)
            throw DataException.AtRow(bad / Inputs + 1, bad % Inputs + 1, $"{rows[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a finite number; the network predicts from finite inputs only");
        int count = rows.Length / Inputs;
        var result = new T[count * Outputs];
        if (count == 0) return result;
        var pool = WorkerPool.ForThreads(1);
        int chunk = Math.Min(PredictChunk, count);
        var normalized = new double[chunk * Inputs];
        var x = new T[chunk * Inputs];
        for (int start = 0; start < count; start += chunk)
        {
            int n = Math.Min(chunk, count - start);
            var source = rows.Slice(start * Inputs, n * Inputs);
            if (Normalization is { } norm) norm.Apply(source, normalized, n);
            else source.CopyTo(normalized);
            // The same conversion training applies to its inputs (Trainer.ToInputs): normalize in double, then round to T.
            for (int i = 0; i < n * Inputs; i++) x[i] = T.CreateChecked(normalized[i]);
            var output = Forward(x, n, pool);
            output.AsSpan(0, n * Outputs).CopyTo(result.AsSpan(start * Outputs));
        }
        return result;
    }

    /// <summary>The first value of <paramref name="values"/> that is NaN or infinite, or -1.</summary>
    private static int IndexOfNonFinite(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i])) return i;
        return -1;
    }

    /// <summary>The outputs for <paramref name="rows"/>, one row per first index; see <see cref="Predict(ReadOnlySpan{double})"/>.</summary>
    /// <exception cref="ArgumentException">Rows of a width other than <see cref="Inputs"/>.</exception>
    /// <exception cref="DataException">A value that is NaN or infinite.</exception>
    public T[] Predict(double[,] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.GetLength(1) != Inputs)
            throw new ArgumentException($"rows of {rows.GetLength(1)} values, but the network takes {Inputs} inputs", nameof(rows));
        var flat = new double[rows.Length];
        Buffer.BlockCopy(rows, 0, flat, 0, rows.Length * sizeof(double));
        return Predict(flat);
    }

    /// <summary>The outputs for the features of every row of <paramref name="data"/>; see <see cref="Predict(ReadOnlySpan{double})"/>.</summary>
    /// <exception cref="DataException">The data has a different number of features than the network has inputs.</exception>
    public T[] Predict(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Features != Inputs)
            throw new DataException($"{data.Name} has {data.Features} features but the network takes {Inputs} inputs");
        return Predict(data.X);
    }
}
