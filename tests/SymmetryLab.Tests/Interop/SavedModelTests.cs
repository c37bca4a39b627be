using SymmetryLab.Engine.Activations;
using SymmetryLab.Interop;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Interop;

/// <summary>A model read from either kind of file keeps its exact weights and precision.</summary>
public class SavedModelTests
{
    [Fact]
    public void AFloat32ModelFileHoldsItsFloat32ValuesExactly()
    {
        string dir = TestNets.TempDir(), path = Path.Combine(dir, "m.json");
        var net = TestNets.Random<float>(3, [(4, Activation.Tanh), (1, Activation.Sigmoid)], seed: 4);
        File.WriteAllText(path, ModelFile.Write(net, "y"));
        var model = SavedModel.Load(path);
        Assert.Equal("float32", model.Precision);
        // The file's text "0.1" is 0.1f: held as (double)0.1f, not as the double nearest 0.1.
        for (int l = 0; l < 2; l++)
            Assert.Equal(net.Layers[l].Weights.Select(w => (double)w), model.Network.Layers[l].Weights);
        Assert.Equal(File.ReadAllText(path), model.ToModelJson());
        Assert.Equal([new KeyValuePair<string, string>("target", "y")], model.Meta);
        string onnx = Path.Combine(dir, "m.onnx");
        model.Save(onnx);
        Assert.Equal(File.ReadAllText(path), SavedModel.Load(onnx).ToModelJson());
    }

    /// <summary>audit and export load through SavedModel: a model file that can be read once (a pipe) is read once.</summary>
    [Fact]
    public async Task AModelFileThatCanBeReadOnlyOnceIsReadOnce()
    {
        if (!OperatingSystem.IsLinux()) return;
        string dir = TestNets.TempDir(), fifo = Path.Combine(dir, "m.json");
        string text = ModelFile.Write(TestNets.Random<float>(3, [(4, Activation.Tanh), (1, Activation.Sigmoid)], seed: 4), "y");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) await mkfifo.WaitForExitAsync();
        var writer = Task.Run(() => File.WriteAllText(fifo, text));
        var model = await Task.Run(() => SavedModel.Load(fifo)).WaitAsync(TimeSpan.FromSeconds(30));
        await writer.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("float32", model.Precision);
        Assert.Equal([new KeyValuePair<string, string>("target", "y")], model.Meta);
        Assert.Equal(text, model.ToModelJson());
    }
}
