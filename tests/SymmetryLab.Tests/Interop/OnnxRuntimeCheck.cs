using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SymmetryLab.Tests.Interop;

/// <summary>ONNX Runtime, the independent implementation an exported graph is checked against.</summary>
internal static class OnnxRuntimeCheck
{
    /// <summary>Runs the model on <paramref name="rows"/> rows of <paramref name="x"/> (row-major) in its input's precision; returns the outputs as float64.</summary>
    public static double[] Run(byte[] model, double[] x, int rows, bool float32)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var input = session.InputMetadata.Single();
        int features = x.Length / rows;
        long[] shape = [rows, features];
        using var value = float32
            ? OrtValue.CreateTensorValueFromMemory(x.Select(v => (float)v).ToArray(), shape)
            : OrtValue.CreateTensorValueFromMemory(x.ToArray(), shape);
        using var results = session.Run(new RunOptions(), [input.Key], [value], session.OutputNames);
        var output = results[0];
        return float32
            ? output.GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v).ToArray()
            : output.GetTensorDataAsSpan<double>().ToArray();
    }
}
